-- POST /auth/verify with access tokens drawn at random from $TOKENS (one per line; 200,000 of them in the scale
-- scenario), as a service client ($BASIC). Random, so no run favours the start of the list.
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
local seed_threads = 0
setup = function(thread)
  thread:set("seed", seed_threads)
  seed_threads = seed_threads + 1
end
init = function(args) math.randomseed(os.time() + (seed or 0) * 7919) end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Basic " .. os.getenv("BASIC")
request = function()
  return wrk.format(nil, "/auth/verify", nil, '{"token":"' .. tokens[math.random(#tokens)] .. '"}')
end
