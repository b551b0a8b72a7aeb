-- wrk script: a mix of one-, two- and three-word product searches, with and
-- without tone marks, a few typed-as-you-go prefixes and typos, as buyers on
-- phones type them. Requests cycle through the list; each wrk thread starts
-- at a different place. With UNCACHED=1 in the environment every request
-- also carries a different price_max (above every price, so the results are
-- the same), which defeats the server's response cache and measures the
-- index itself.
local queries = {
  "ch%C3%A8", "che", "m%E1%BA%ADt%20ong", "mat%20ong", "g%E1%BA%A1o%20bao%20thai", "gao%20bao%20thai",
  "mi%E1%BA%BFn%20dong", "mien%20dong%20na%20ri", "na%20dai", "na%20dai%20vo%20nhai",
  "h%E1%BB%93ng%20kh%C3%B4ng%20h%E1%BA%A1t", "hong%20khong%20hat", "m%C4%83ng%20kh%C3%B4", "mang%20kho",
  "th%E1%BB%8Bt%20tr%C3%A2u%20g%C3%A1c", "thit%20trau", "%E1%BB%95i%20linh%20s%C6%A1n", "oi%20linh%20son",
  "ch%C3%A8%20t%C3%A2n%20c%C6%B0%C6%A1ng", "che%20tan%20cuong", "g%C3%A0%20%C4%91%E1%BB%93i", "ga%20doi",
  "tinh%20bot%20nghe", "cam%20sanh", "m%E1%BB%99c%20nh%C4%A9", "nam%20huong%20rung", "cuonng", "mat%20on",
  "gao%20nep", "mien", "qu%C3%BDt", "banh%20chung", "ruou", "ca%20bong", "rau%20bo%20khai", "che%20moc%20c",
}
local counter = 0
local uncached = os.getenv("UNCACHED") == "1"

function setup(thread)
  thread:set("counter", counter * 7)
  counter = counter + 1
end

function request()
  counter = counter + 1
  local q = queries[(counter % #queries) + 1]
  local path = "/api/v1/products?q=" .. q
  if uncached then path = path .. "&price_max=" .. (999000000 + math.random(0, 999999)) end
  return wrk.format("GET", path)
end
