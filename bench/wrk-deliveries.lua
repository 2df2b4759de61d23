-- wrk script for the saturation phase. Signing needs HMAC-SHA256, which wrk's Lua lacks, so
-- run-bench.mjs pre-signs a pool of bodies (one "signature<TAB>body" per line, argument 1) and
-- every request pairs the next body with a delivery id of its own (X-GitHub-Delivery is not
-- covered by GitHub's signature): each request is a new, validly signed delivery.
local threads = {}
local next_id = 1

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  bodies, sigs = {}, {}
  for line in io.lines(args[1]) do
    local tab = string.find(line, "\t", 1, true)
    table.insert(sigs, string.sub(line, 1, tab - 1))
    table.insert(bodies, string.sub(line, tab + 1))
  end
  run_tag = args[2]
  counter, accepted, duplicates, others = 0, 0, 0, 0
  headers = {
    ["Content-Type"] = "application/json",
    ["User-Agent"] = "GitHub-Hookshot/044aadd",
    ["X-GitHub-Event"] = args[3],
    ["X-GitHub-Hook-ID"] = "292430182",
  }
end

function request()
  counter = counter + 1
  local i = counter % #bodies + 1
  headers["X-GitHub-Delivery"] = string.format("%s-%04x-4000-8000-%012x", run_tag, tid, counter)
  headers["X-Hub-Signature-256"] = sigs[i]
  return wrk.format("POST", "/webhooks/github", headers, bodies[i])
end

function response(status, headers, body)
  if status == 202 then accepted = accepted + 1
  elseif status == 200 then duplicates = duplicates + 1
  else others = others + 1 end
end

function done(summary, latency, requests)
  local a, d, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("accepted")
    d = d + thread:get("duplicates")
    o = o + thread:get("others")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"durationUs":%d,"requests":%d,"accepted":%d,"duplicates":%d,"otherStatus":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},' ..
    '"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
    summary.duration, summary.requests, a, d, o, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
