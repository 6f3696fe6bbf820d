-- wrk script: POST /match/default with one single-name query per request, rotating names
-- (real listed names, their spelling variants, and names nobody lists).
local names = {
  "Sergei Sobyanin", "KAMAZ", "Vladimir Putin", "John Smith", "Moskvich", "Aurus",
  "Sergey Kogogin", "Acme Trading Ltd", "Mohammed Ali", "Bank Rossiya", "Rosneft",
  "Собянин Сергей", "Gazprombank", "Maria Garcia", "Sberbank", "Viktor Vekselberg",
  "Oleg Deripaska", "Li Wei", "Hassan Nasrallah", "Ocean Star Shipping",
}
local counter = 0

request = function()
  counter = counter + 1
  local name = names[(counter % #names) + 1]
  local body = '{"queries": {"q": {"schema": "Thing", "properties": {"name": ["' .. name .. '"]}}}}'
  return wrk.format("POST", "/match/default", {["Content-Type"] = "application/json"}, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d seconds=%.2f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
