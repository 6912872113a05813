-- wrk takes the TLS SNI name from the URL's host. The benchmark's host names (mta-sts.<domain>) do not
-- resolve on this machine and /etc/hosts is not edited, so this script connects to WRK_CONNECT
-- (default 127.0.0.1) instead of resolving the URL host, while SNI stays the URL's name. It also sets
-- the Host header to the bare name (no port), as a sending MTA does (RFC 8461 §3.3 fetches port 443).
local connect_to = os.getenv("WRK_CONNECT") or "127.0.0.1"

wrk.resolve = function(host, service)
    local addrs = wrk.lookup(connect_to, service)
    for i = #addrs, 1, -1 do
        if not wrk.connect(addrs[i]) then
            table.remove(addrs, i)
        end
    end
    wrk.addrs = addrs
end

wrk.headers["Host"] = wrk.host

-- WRK_PAUSE_MS (compare.py's paced scenario): each connection waits this long after a response before its
-- next request, so both servers get the same offered load, below what either can serve.
local pause = tonumber(os.getenv("WRK_PAUSE_MS") or "0")
if pause > 0 then
    function delay()
        return pause
    end
end
