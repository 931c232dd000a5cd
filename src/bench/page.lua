-- wrk script: requests the admin page for random valid (service, template, user) triples of the example's data set
-- (see SeedData: template t belongs to service (t-1)/3+1, user u belongs to service (u-1) % services + 1).
-- PAGE_PREFIX selects the variant: "" for the annotations, "/redis" for the hand-written Redis cache-aside.
-- PACE_MS (unset or empty: none) makes each connection wait a random time of that mean between a response and its next
-- request (exponentially distributed, whole milliseconds), so that the server is loaded below its saturation.
local services = tonumber(os.getenv("SERVICES") or "2000")
local prefix = os.getenv("PAGE_PREFIX") or ""
local pace = tonumber(os.getenv("PACE_MS") or "") or 0       -- unset or empty: no pause
local thread_counter = 0

function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("seed", 1000 + thread_counter)
end

function init(args)
  math.randomseed(seed or 1000)
end

function request()
  local s = math.random(1, services)
  local t = (s - 1) * 3 + math.random(1, 3)
  local u = s + math.random(0, 1) * services
  return wrk.format("GET", prefix .. "/services/" .. s .. "/templates/" .. t .. "/page?user=" .. u)
end

if pace > 0 then
  function delay()
    return math.floor(-pace * math.log(1 - math.random()))
  end
end
