package dev.sluice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 in front of one server, which a test can turn into a black hole: as a
 * network partition or a frozen database host looks from the client's side. While black-holed it
 * still accepts connections and keeps every connection open, but forwards nothing in either
 * direction: no byte, no FIN, no RST reaches either end. What is sent meanwhile waits in the socket
 * buffers and is delivered when the proxy forwards again, as TCP's retransmission delivers it after
 * a partition shorter than its retry limit (so a close during the black hole reaches the server
 * afterwards, and its session ends then).
 *
 * <p>Plain sockets and one thread per direction per connection: for a test's handful of
 * connections.
 */
public final class BlackHoleProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean blackHole;
    private volatile boolean closed;

    private BlackHoleProxy(ServerSocket listener, InetSocketAddress upstream) {
        this.listener = listener;
        this.upstream = upstream;
    }

    /** A proxy forwarding to 127.0.0.1:{@code upstreamPort}, listening on a free port. */
    public static BlackHoleProxy to(int upstreamPort) {
        try {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            BlackHoleProxy proxy = new BlackHoleProxy(
                    new ServerSocket(0, 50, loopback), new InetSocketAddress(loopback, upstreamPort));
            Thread accepter = new Thread(proxy::acceptLoop, "black-hole-proxy-accept");
            accepter.setDaemon(true);
            accepter.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on nothing is forwarded; connections stay open and new ones are accepted. */
    public void blackHole() {
        blackHole = true;
    }

    /** Forwards again, starting with what was sent during the black hole. */
    public void forward() {
        synchronized (gate) {
            blackHole = false;
            gate.notifyAll();
        }
    }

    @Override
    public void close() {
        closed = true;
        forward();
        closeQuietly(listener);
        sockets.forEach(BlackHoleProxy::closeQuietly);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(client);
            Thread connector = new Thread(() -> connect(client), "black-hole-proxy-connect");
            connector.setDaemon(true);
            connector.start();
        }
    }

    private void connect(Socket client) {
        Socket server = new Socket();
        sockets.add(server);
        try {
            awaitForwarding(); // a partition lets no SYN through; the client only sees silence
            server.connect(upstream);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(server);
            return;
        }
        pump(client, server, "client-to-server");
        pump(server, client, "server-to-client");
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream()) {
                        OutputStream out = to.getOutputStream();
                        while (true) {
                            awaitForwarding(); // stop reading: what is sent now stays in the buffers
                            int n = in.read(buffer);
                            awaitForwarding(); // a read that was waiting when the black hole began
                            if (n < 0) {
                                to.shutdownOutput();
                                return;
                            }
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "black-hole-proxy-" + direction);
        t.setDaemon(true);
        t.start();
    }

    private void awaitForwarding() throws java.io.InterruptedIOException {
        synchronized (gate) {
            while (blackHole && !closed) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted in the black hole");
                }
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing either way
        }
    }
}
