-- POST /auth/login with the right password (bcrypt at the configured cost on every request).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"' .. os.getenv("EMAIL") .. '","password":"' .. os.getenv("PASSWORD") .. '"}'
