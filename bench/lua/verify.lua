-- POST /auth/verify with many distinct access tokens (one per line in $TOKENS), as a service client ($BASIC).
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Basic " .. os.getenv("BASIC")
request = function()
  i = i % #tokens + 1
  return wrk.format(nil, "/auth/verify", nil, '{"token":"' .. tokens[i] .. '"}')
end
