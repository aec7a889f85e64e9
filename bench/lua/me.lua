-- GET /auth/me with many distinct access tokens (one per line in $TOKENS).
local tokens = {}
for line in io.lines(os.getenv("TOKENS")) do tokens[#tokens + 1] = line end
local i = 0
request = function()
  i = i % #tokens + 1
  return wrk.format("GET", "/auth/me", { ["Authorization"] = "Bearer " .. tokens[i] }, nil)
end
