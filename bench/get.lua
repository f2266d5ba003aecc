-- wrk script: GET /v2/keys/bench/k<n> over the 1000 keys put.lua writes.
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/v2/keys/bench/k" .. (counter % 1000))
end
