-- wrk script: POST a scan with a unique nonce, round-robin over the seeded check-in tokens and
-- 50 desks. Arguments: tokens file, bearer token, event slug.
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  tokens = {}
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(tokens, line) end
  end
  bearer = args[2]
  path = "/api/v1/events/" .. args[3] .. "/checkins"
  thread_id = id or 0
  math.randomseed(os.time() + thread_id)
  prefix = string.format("w%d%06d", thread_id, math.random(0, 999999))
end

function request()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  local desk = "desk-" .. (counter % 50)
  local body = string.format(
    '{"token":"%s","nonce":"%s-%d","scanned_at":"%s","desk":"%s"}',
    token, prefix, counter, os.date("!%Y-%m-%dT%H:%M:%S+00:00"), desk)
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. bearer,
  }, body)
end
