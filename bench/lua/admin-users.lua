-- GET /admin/users with a query string ($QUERY) as an admin ($TOKEN).
request = function()
  return wrk.format("GET", "/admin/users?" .. os.getenv("QUERY"), { ["Authorization"] = "Bearer " .. os.getenv("TOKEN") }, nil)
end
