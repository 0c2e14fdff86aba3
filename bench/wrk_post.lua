-- wrk -s bench/wrk_post.lua URL -- TOKEN COOKIE PARENT_IDS
-- Posts comments through the real form endpoint (body, name, CSRF token), a third of them
-- replies, each body unique Markdown; counts the acknowledged (303/201) replies and the
-- comment ids their Location names, and prints "WRK-JSON {...}" with latency percentiles
-- (microseconds) for bench/run.py.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

local words = {"council", "harbour", "tram", "plan", "budget", "ferry", "quay", "residents",
  "vote", "delay", "cost", "street", "bus", "parking", "market", "bridge", "school", "years"}

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  token = args[1]
  cookie = args[2]
  parents = {}
  for id in string.gmatch(args[3] or "", "%d+") do table.insert(parents, id) end
  acks = 0
  ids = ""
  refused = 0
  last_refusal = 0
  sent = 0
  math.randomseed(tid * 7919)
end

function request()
  sent = sent + 1
  local target = math.random(50, 800)
  local parts = {}
  local length = 0
  while length < target do
    local w
    if math.random() < 0.4 then
      w = words[math.random(#words)]
      if math.random() < 0.2 then w = "*" .. w .. "*" end
    else
      -- a made-up word: the intake refuses near-duplicate text
      local letters = {}
      for i = 1, math.random(3, 9) do letters[i] = string.char(math.random(97, 122)) end
      w = table.concat(letters)
    end
    table.insert(parts, w)
    length = length + #w + 1
  end
  local text = table.concat(parts, " ") .. " (bench post " .. tid .. "-" .. sent .. ")"
  local form = "body=" .. urlencode(text) .. "&name=Bench+Poster&csrfmiddlewaretoken=" .. token
  if #parents > 0 and math.random() < 0.3 then
    form = form .. "&parent=" .. parents[math.random(#parents)]
  end
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
  }, form)
end

function response(status, headers, body)
  if status == 303 or status == 201 then
    acks = acks + 1
    local location = headers["Location"] or headers["location"] or ""
    local id = string.match(location, "#c%-(%d+)")
    if id then ids = ids .. id .. "," end
  else
    refused = refused + 1
    last_refusal = status
  end
end

function done(summary, latency, requests)
  local total_acks, total_refused, refusal, all_ids = 0, 0, 0, ""
  for _, thread in ipairs(threads) do
    total_acks = total_acks + thread:get("acks")
    all_ids = all_ids .. thread:get("ids")
    total_refused = total_refused + thread:get("refused")
    if thread:get("last_refusal") ~= 0 then refusal = thread:get("last_refusal") end
  end
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"mean_us":%.1f,"acknowledged":%d,"refused":%d,"last_refusal":%d,' ..
    '"ids":"%s"}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, total_acks, total_refused, refusal, all_ids))
end
