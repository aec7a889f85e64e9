-- POST /auth/login with the right password, counting 200s and 503s (admission control) per thread.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"' .. os.getenv("EMAIL") .. '","password":"' .. os.getenv("PASSWORD") .. '"}'
local all = {}
setup = function(thread) table.insert(all, thread) end
init = function(args) ok, overloaded, other = 0, 0, 0 end
response = function(status, headers, body)
  if status == 200 then ok = ok + 1
  elseif status == 503 and body:find('"overloaded"', 1, true) and headers["Retry-After"] then overloaded = overloaded + 1
  else other = other + 1 end
end
done = function(summary, latency, requests)
  local o, l, x = 0, 0, 0
  for _, thread in ipairs(all) do
    o = o + (thread:get("ok") or 0); l = l + (thread:get("overloaded") or 0); x = x + (thread:get("other") or 0)
  end
  io.write("ok " .. o .. " overloaded " .. l .. " other " .. x .. "\n")
end
