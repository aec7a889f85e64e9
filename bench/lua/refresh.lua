-- POST /auth/refresh: each thread owns a share of the refresh tokens in $TOKENS and uses each one once,
-- replacing it with the token the response carries, so no token is ever presented twice.
local queue = {}
local first, last = 1, 0
-- setup runs in the main Lua state and numbers the threads; `tid` is then a global of each thread's state.
local threads_seen = 0
setup = function(thread)
  thread:set("tid", threads_seen)
  threads_seen = threads_seen + 1
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
  if token == nil then token = "exhausted" else queue[first] = nil; first = first + 1 end
  return wrk.format(nil, "/auth/refresh", nil, '{"refresh_token":"' .. token .. '"}')
end
local reported = {}
response = function(status, headers, body)
  if status ~= 200 and not reported[status] then reported[status] = true; io.stderr:write(status .. " " .. body .. "\n") end
  local token = body:match('"refresh_token":"([^"]+)"')
  if token then last = last + 1; queue[last] = token end
end
