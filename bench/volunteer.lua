-- wrk script: every wrk thread is one volunteer with one keep-alive connection and its own API key.
-- It asks for a task (GET newtask), answers the task it was given (POST taskrun), and repeats.
-- Environment: CF_KEYS (file, one API key a line), CF_PROJECT (project id), CF_OUT (results file),
-- CF_MODE ("cycle", or "newtask": ask only, never answer; "ping": GET /api/).
-- Times are taken with clock_gettime(CLOCK_MONOTONIC) through LuaJIT's FFI, per call type.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } cf_timespec;
  int clock_gettime(int clock_id, cf_timespec *tp);
]]
local ts = ffi.new("cf_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

-- Main state: hand each thread its key; collect every thread's figures at the end.
local keys, threads = {}, {}

function setup(thread)
  if #keys == 0 then
    for line in io.lines(os.getenv("CF_KEYS")) do
      if #line > 0 then keys[#keys + 1] = line end
    end
  end
  threads[#threads + 1] = thread
  thread:set("api_key", keys[(#threads - 1) % #keys + 1])
end

-- Thread state.
function init(args)
  project = os.getenv("CF_PROJECT")
  mode = os.getenv("CF_MODE") or "cycle"
  newtask_path = "/api/project/" .. project .. "/newtask"
  nt_ms, tr_ms, acked, refusals = {}, {}, {}, {}
  n_empty, nt_errors, tr_errors, tr_refused = 0, 0, 0, 0
  task_id, pending, started, awaiting = nil, nil, 0, false
end

function request()
  if awaiting and pending == "taskrun" then
    -- wrk timed out or lost the connection and asks for a new request: the answer may or may not
    -- have been stored, so it is not acknowledged; ask for a new task rather than answer twice.
    task_id = nil
  end
  awaiting = true
  started = now_ms()
  if mode == "ping" then
    pending = "ping"
    return wrk.format("GET", "/api/")
  end
  if task_id then
    pending = "taskrun"
    local body = '{"project_id": ' .. project .. ', "task_id": ' .. task_id .. ', "info": {"answer": "yes"}}'
    return wrk.format("POST", "/api/taskrun", { ["Authorization"] = api_key, ["Content-Type"] = "application/json" }, body)
  end
  pending = "newtask"
  return wrk.format("GET", newtask_path, { ["Authorization"] = api_key })
end

function response(status, headers, body)
  awaiting = false
  local took = now_ms() - started
  if pending == "ping" then
    nt_ms[#nt_ms + 1] = took
  elseif pending == "newtask" then
    nt_ms[#nt_ms + 1] = took
    if status == 200 then
      local id = string.match(body, '"id": *(%d+)')
      if id == nil then
        n_empty = n_empty + 1
      elseif mode == "cycle" then
        task_id = id
      end
    else
      nt_errors = nt_errors + 1
    end
  else
    tr_ms[#tr_ms + 1] = took
    if status == 200 then
      acked[#acked + 1] = string.match(body, '"id": *(%d+)') .. " " .. task_id
    elseif status >= 500 then
      tr_errors = tr_errors + 1
    else
      tr_refused = tr_refused + 1
      refusals[#refusals + 1] = status .. " " .. (string.match(body, '"exception_msg": *"([^"]*)"') or "?")
    end
    task_id = nil
  end
end

local function write_list(out, tag, list)
  out:write(tag)
  for _, v in ipairs(list) do out:write(" ", v) end
  out:write("\n")
end

function done(summary, latency, requests)
  local out = assert(io.open(os.getenv("CF_OUT"), "w"))
  for _, t in ipairs(threads) do
    write_list(out, "nt", t:get("nt_ms"))
    write_list(out, "tr", t:get("tr_ms"))
    out:write("counts ", t:get("n_empty"), " ", t:get("nt_errors"), " ", t:get("tr_errors"), " ",
      t:get("tr_refused"), "\n")
    for _, pair in ipairs(t:get("acked")) do out:write("acked ", pair, "\n") end
    for _, why in ipairs(t:get("refusals")) do out:write("refused ", why, "\n") end
  end
  local e = summary.errors
  out:write("wrk ", summary.duration, " ", summary.requests, " ", e.connect, " ", e.read, " ", e.write,
    " ", e.status, " ", e.timeout, "\n")
  out:close()
end
