// Camera scanning: frames from getUserMedia, decoded by zxing-wasm (vendored, the global ZXingWASM).
let prepared = false;

function prepare(wasmUrl) {
  if (prepared) return;
  prepared = true;
  globalThis.ZXingWASM.prepareZXingModule({
    overrides: {
      // Our own copy of the .wasm, never the CDN the library falls back to.
      locateFile: (path, prefix) => (path.endsWith(".wasm") ? wasmUrl : prefix + path),
    },
  });
}

export class Camera {
  constructor(video, wasmUrl, onCode) {
    this.video = video;
    this.wasmUrl = wasmUrl;
    this.onCode = onCode;
    this.stream = null;
    this.paused = false;
    this.timer = null;
    this.canvas = document.createElement("canvas");
    this.context = this.canvas.getContext("2d", { willReadFrequently: true });
    this.ignore = { text: null, until: 0 };
  }

  get running() {
    return this.stream !== null;
  }

  async start() {
    if (!globalThis.ZXingWASM) throw new Error("zxing-wasm is not loaded");
    prepare(this.wasmUrl);
    this.stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
    this.video.srcObject = this.stream;
    await this.video.play();
    this.schedule(0);
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.stream) this.stream.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.video.srcObject = null;
  }

  // While an answer is on screen the camera keeps looking but reports nothing; when it resumes,
  // the badge still in front of it is not read again at once.
  pause() {
    this.paused = true;
  }

  resume(lastText) {
    this.paused = false;
    if (lastText) this.ignore = { text: lastText, until: Date.now() + 1500 };
  }

  schedule(delay) {
    if (this.stream) this.timer = setTimeout(() => this.tick(), delay);
  }

  async tick() {
    if (!this.stream) return;
    const video = this.video;
    if (!this.paused && video.readyState >= 2 && video.videoWidth > 0) {
      const scale = Math.min(1, 960 / video.videoWidth);
      const width = Math.round(video.videoWidth * scale);
      const height = Math.round(video.videoHeight * scale);
      this.canvas.width = width;
      this.canvas.height = height;
      this.context.drawImage(video, 0, 0, width, height);
      try {
        const results = await globalThis.ZXingWASM.readBarcodes(this.context.getImageData(0, 0, width, height), {
          formats: ["QRCode"],
          tryHarder: true,
          maxNumberOfSymbols: 1,
        });
        const found = results.find((result) => result.isValid && result.text);
        if (found && !this.paused) {
          const ignored = found.text === this.ignore.text && Date.now() < this.ignore.until;
          if (!ignored) {
            this.ignore = { text: found.text, until: Date.now() + 1500 };
            this.onCode(found.text);
          }
        }
      } catch (error) {
        console.error(error);
      }
    }
    this.schedule(150);
  }
}
