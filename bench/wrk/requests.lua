-- requests.lua — wrk script that replays a fixed list of pre-signed AWS requests, round robin.
-- The list comes from the file named by WRK_REQUESTS, one request per line:
--   METHOD <TAB> PATH <TAB> Name: value<0x01>Name: value... <TAB> BODY
-- (bench/run.py writes it, signing each request with SigV4 once; awssim verifies the signature
-- of a known key on every request, so the same bytes can be replayed.)
local reqs = {}
local counter = 0

local function split(s, sep)
  local out, start = {}, 1
  while true do
    local i = string.find(s, sep, start, true)
    if not i then
      table.insert(out, string.sub(s, start))
      return out
    end
    table.insert(out, string.sub(s, start, i - 1))
    start = i + #sep
  end
end

function init(args)
  local path = os.getenv("WRK_REQUESTS")
  local f = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in f:lines() do
    if #line > 0 then
      local p = split(line, "\t")
      local headers = {}
      if p[3] and #p[3] > 0 then
        for _, h in ipairs(split(p[3], "\1")) do
          local k, v = string.match(h, "^([^:]+):%s?(.*)$")
          if k then headers[k] = v end
        end
      end
      local body = p[4]
      if body == "" then body = nil end
      table.insert(reqs, wrk.format(p[1], p[2], headers, body))
    end
  end
  f:close()
  counter = math.random(#reqs) - 1
end

function request()
  counter = counter + 1
  return reqs[(counter % #reqs) + 1]
end
