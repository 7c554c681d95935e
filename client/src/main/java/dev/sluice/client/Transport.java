package dev.sluice.client;

import java.io.IOException;
import java.util.Map;

/**
 * How the limiters reach Sluice: one request, one reply. {@link HttpTransport} is the real one;
 * the unit tests script replies through this seam so that every timing decision runs on their clock.
 */
interface Transport {
    /**
     * @param headers lower-case names
     * @param body the reply's body, possibly empty
     */
    record Reply(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    /**
     * @param path below the Sluice base address, e.g. {@code /api/v1/plans/p/services/s/leases}
     * @param json the request body, or null for none
     * @throws IOException when Sluice cannot be reached or does not answer in time
     */
    Reply send(String method, String path, String json) throws IOException;
}
