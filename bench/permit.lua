-- wrk script: POST one permit request per call.
wrk.method = "POST"
wrk.body = '{"count":1}'
wrk.headers["Content-Type"] = "application/json"
