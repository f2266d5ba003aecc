-- wrk script: PUT /v2/keys/bench/<n> value=<64 bytes>, spread over 1000 keys.
local counter = 0
local value = string.rep("x", 64)
request = function()
  counter = counter + 1
  local path = "/v2/keys/bench/k" .. (counter % 1000)
  return wrk.format("PUT", path, {["Content-Type"] = "application/x-www-form-urlencoded"}, "value=" .. value)
end
