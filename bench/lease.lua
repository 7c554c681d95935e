-- wrk script: lease refreshes from 25,000 distinct clients (random ids), each wanting 10/s.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
math.randomseed(42)
request = function()
  local body = string.format('{"clientId":"client-%d","wantPerSecond":10}', math.random(1, 25000))
  return wrk.format(nil, nil, nil, body)
end
