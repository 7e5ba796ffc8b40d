package io.github.replicarouting.benchmarks.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay in front of one database node that delivers every chunk of bytes a fixed delay after it arrived, in
 * each direction: a network's latency (not its bandwidth) between the application and the node. Each chunk is
 * delayed from the moment it was read, so bytes in flight overlap as they do on a wire: a round trip costs twice the
 * delay, a pipelined stream does not pay it per chunk.
 */
public final class LatencyRelay implements AutoCloseable {

	private final ServerSocket server;

	private final int targetPort;

	private final long delayNanos;

	private final CopyOnWriteArrayList<Socket> sockets = new CopyOnWriteArrayList<>();

	private volatile boolean closed;

	/**
	 * Listen on a free local port and relay to {@code targetPort} on the loopback address.
	 * @param targetPort the node's port
	 * @param delayMicros the one-way delay
	 * @throws IOException if no port can be opened
	 */
	public LatencyRelay(int targetPort, long delayMicros) throws IOException {
		this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
		this.targetPort = targetPort;
		this.delayNanos = TimeUnit.MICROSECONDS.toNanos(delayMicros);
		Thread acceptor = new Thread(this::accept, "latency-relay-" + targetPort);
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** The port to connect to instead of the node's. */
	public int port() {
		return this.server.getLocalPort();
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				Socket upstream = new Socket();
				upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.targetPort));
				for (Socket socket : new Socket[] { client, upstream }) {
					socket.setTcpNoDelay(true);
					this.sockets.add(socket);
				}
				pipe(client, upstream, "up");
				pipe(upstream, client, "down");
			}
			catch (IOException ex) {
				if (!this.closed) {
					System.err.println("[latency-relay] " + ex);
				}
			}
		}
	}

	private void pipe(Socket from, Socket to, String direction) {
		BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
		Thread reader = new Thread(() -> {
			byte[] buffer = new byte[64 * 1024];
			try (InputStream in = from.getInputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					queue.put(new Chunk(System.nanoTime() + this.delayNanos, Arrays.copyOf(buffer, read)));
				}
			}
			catch (IOException | InterruptedException ex) {
				// Closed: the writer below closes the other side.
			}
			queue.add(Chunk.END);
		}, "latency-relay-read-" + direction);
		Thread writer = new Thread(() -> {
			try (OutputStream out = to.getOutputStream()) {
				while (true) {
					Chunk chunk = queue.take();
					if (chunk == Chunk.END) {
						break;
					}
					long wait;
					while ((wait = chunk.due() - System.nanoTime()) > 0) {
						LockSupport.parkNanos(wait);
					}
					out.write(chunk.bytes());
					out.flush();
				}
			}
			catch (IOException | InterruptedException ex) {
				// Closed.
			}
			closeQuietly(from);
			closeQuietly(to);
		}, "latency-relay-write-" + direction);
		reader.setDaemon(true);
		writer.setDaemon(true);
		reader.start();
		writer.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
		this.sockets.forEach(LatencyRelay::closeQuietly);
	}

	private record Chunk(long due, byte[] bytes) {

		static final Chunk END = new Chunk(0, new byte[0]);

	}

}
