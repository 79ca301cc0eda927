// A short sound (WebAudio) and a vibration for each answer, where the device can.
let audio = null;

export function unlockAudio() {
  const Context = globalThis.AudioContext || globalThis.webkitAudioContext;
  if (!Context) return;
  if (!audio) audio = new Context();
  if (audio.state === "suspended") audio.resume().catch(() => {});
}

function tone(frequency, start, duration) {
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.type = "sine";
  oscillator.frequency.value = frequency;
  const t = audio.currentTime + start;
  gain.gain.setValueAtTime(0.0001, t);
  gain.gain.exponentialRampToValueAtTime(0.3, t + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, t + duration);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start(t);
  oscillator.stop(t + duration + 0.02);
}

const PATTERNS = {
  ok: { tones: [[880, 0, 0.12]], vibrate: [60] },
  warn: { tones: [[660, 0, 0.1], [660, 0.16, 0.1]], vibrate: [60, 80, 60] },
  bad: { tones: [[220, 0, 0.4]], vibrate: [300] },
};

export function signal(kind) {
  const pattern = PATTERNS[kind] || PATTERNS.bad;
  try {
    if (audio && audio.state === "running") pattern.tones.forEach(([f, s, d]) => tone(f, s, d));
  } catch (error) {
    console.error(error);
  }
  if (navigator.vibrate) navigator.vibrate(pattern.vibrate);
}
