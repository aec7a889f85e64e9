-- POST /auth/refresh: each thread owns a share of the refresh tokens in $TOKENS and uses each one once,
-- replacing it with the token the response carries, so no token is ever presented twice.
local queue = {}
local first, last = 1, 0
local tid = 0
setup = function(thread)
  thread:set("tid", tid)
  tid = tid + 1
end
init = function(args)
  local threads = tonumber(os.getenv("THREADS") or "2")
  local n = 0
  for line in io.lines(os.getenv("TOKENS")) do
    if n % threads == tid then last = last + 1; queue[last] = line end
    n = n + 1
  end
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local token = queue[first]
  queue[first] = nil
  first = first + 1
  return wrk.format(nil, "/auth/refresh", nil, '{"refresh_token":"' .. token .. '"}')
end
response = function(status, headers, body)
  local token = body:match('"refresh_token":"([^"]+)"')
  if token then last = last + 1; queue[last] = token end
end
