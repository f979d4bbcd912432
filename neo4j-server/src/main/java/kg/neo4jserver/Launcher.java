package kg.neo4jserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.server.configuration.ServerSettings;

/**
 * Local Neo4j Community server for kg development, tests and CI.
 *
 * <p>Starts an embedded DBMS (DatabaseManagementServiceBuilder) whose files live under
 * {@code --data DIR}, with Bolt on 127.0.0.1 and authentication always on (user
 * {@code neo4j}). With {@code --http-port N} Neo4j's own web server is also enabled on
 * 127.0.0.1, which serves Neo4j Browser at {@code /browser/} (the static files come
 * from the org.neo4j.client:neo4j-browser jar on the classpath).
 *
 * <p>Prints one line starting with {@value #READY} once clients can log in, runs until
 * SIGTERM/SIGINT and then shuts the DBMS down cleanly from a shutdown hook. On a start
 * failure it prints a line starting with {@value #FAILED} and exits with status 1.
 */
public final class Launcher {
    static final String PREFIX = "kg-neo4j-server: ";
    static final String READY = PREFIX + "READY";
    static final String FAILED = PREFIX + "FAILED";
    static final String DEFAULT_PASSWORD = "kg-dev-password";
    static final String PASSWORD_ENV = "KG_NEO4J_PASSWORD";
    static final String HOST = "127.0.0.1";

    private Launcher() {}

    static final class Options {
        Path data;
        int boltPort = 7687;
        Integer httpPort;
        String password;
        long pageCacheMb = 256;
    }

    private static void usage() {
        System.out.println(String.join("\n",
                "usage: java -Xmx512m -jar kg-neo4j-server.jar --data DIR [options]",
                "",
                "  --data DIR            Neo4j home: databases, transaction logs and logs go here (required)",
                "  --bolt-port N         Bolt port on 127.0.0.1 (default 7687)",
                "  --http-port N         also serve Neo4j Browser at http://127.0.0.1:N/browser/ (default: off)",
                "  --password P          password of user neo4j (default: $" + PASSWORD_ENV
                        + ", else " + DEFAULT_PASSWORD + ")",
                "  --page-cache-mb N     page cache size in MiB (default 256)",
                "",
                "Prints a line starting with '" + READY + "' when clients can connect;",
                "stop it with SIGTERM (kill PID) or Ctrl-C."));
    }

    private static int parsePort(String name, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number (1-65535), got '" + value + "'");
        }
    }

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                usage();
                System.exit(0);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + arg);
                }
                value = args[++i];
            }
            switch (arg) {
                case "--data" -> o.data = Path.of(value).toAbsolutePath().normalize();
                case "--bolt-port" -> o.boltPort = parsePort(arg, value);
                case "--http-port" -> o.httpPort = parsePort(arg, value);
                case "--password" -> o.password = value;
                case "--page-cache-mb" -> o.pageCacheMb = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + arg + " (see --help)");
            }
        }
        if (o.data == null) {
            throw new IllegalArgumentException("--data DIR is required (see --help)");
        }
        if (o.password == null) {
            String env = System.getenv(PASSWORD_ENV);
            o.password = (env != null && !env.isEmpty()) ? env : DEFAULT_PASSWORD;
        }
        if (o.password.length() < 8) {
            throw new IllegalArgumentException("the password must be at least 8 characters long (Neo4j's policy)");
        }
        if (o.httpPort != null && o.httpPort == o.boltPort) {
            throw new IllegalArgumentException("--http-port and --bolt-port must differ");
        }
        return o;
    }

    static DatabaseManagementService startDbms(Options o) {
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(o.data)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(HOST))
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress(HOST))
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(o.pageCacheMb))
                .setConfig(GraphDatabaseSettings.udc_enabled, false) // no usage reports (offline dev server)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, o.boltPort))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, o.boltPort))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                // Bolt waits 2 x 5 s for its thread pools on shutdown by default. The stores are
                // already checkpointed and closed by then, so a short wait is safe (Neo4j then logs a
                // harmless "Termination of ... event loop group has exceeded ..." warning).
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(HttpsConnector.enabled, false)
                // Neo4j's web server is on by default in 5.x: only enable it when asked.
                .setConfig(HttpConnector.enabled, o.httpPort != null);
        if (o.httpPort != null) {
            // Neo4j's web server serves Neo4j Browser at /browser/ from the neo4j-browser jar
            // on the classpath, plus the discovery document at / that points it to Bolt.
            builder.setConfig(HttpConnector.listen_address, new SocketAddress(HOST, o.httpPort))
                    .setConfig(HttpConnector.advertised_address, new SocketAddress(HOST, o.httpPort))
                    .setConfig(ServerSettings.allow_telemetry, false);
        }
        return builder.build();
    }

    /** Sets the password of user neo4j (idempotent; works on a fresh and an existing data dir). */
    static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the one it already has.
            if (!String.valueOf(rootMessage(e)).contains("cannot be the same")) {
                throw e;
            }
        }
    }

    static String rootMessage(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                if (sb.length() > 0) {
                    sb.append(" <- ");
                }
                sb.append(c.getMessage());
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.length() > 0 ? sb.toString() : t.getClass().getName();
    }

    public static void main(String[] args) {
        Options o;
        try {
            o = parse(args);
            Files.createDirectories(o.data);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println(FAILED + " " + e.getMessage());
            System.exit(2);
            return;
        }

        long t0 = System.nanoTime();
        DatabaseManagementService dbms;
        try {
            dbms = startDbms(o);
        } catch (Throwable e) {
            System.out.println(FAILED + " could not start Neo4j: " + rootMessage(e));
            e.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        final DatabaseManagementService service = dbms;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println(PREFIX + "shutting down");
            System.out.flush();
            try {
                service.shutdown();
                System.out.println(PREFIX + "stopped cleanly");
            } catch (Throwable e) {
                System.out.println(PREFIX + "error during shutdown: " + rootMessage(e));
            }
            System.out.flush();
            stopped.countDown();
        }, "kg-neo4j-shutdown"));

        try {
            setPassword(dbms, o.password);
        } catch (Throwable e) {
            System.out.println(FAILED + " could not set the password of user neo4j: " + rootMessage(e));
            e.printStackTrace(System.out);
            System.out.flush();
            System.exit(1); // runs the shutdown hook
            return;
        }

        long ms = (System.nanoTime() - t0) / 1_000_000;
        StringBuilder ready = new StringBuilder(READY)
                .append(" bolt=bolt://").append(HOST).append(':').append(o.boltPort);
        if (o.httpPort != null) {
            ready.append(" browser=http://").append(HOST).append(':').append(o.httpPort).append("/browser/");
        }
        ready.append(" user=neo4j data=").append(o.data)
                .append(" pid=").append(ProcessHandle.current().pid())
                .append(" started_in_ms=").append(ms);
        System.out.println(ready);
        System.out.flush();

        try {
            stopped.await(); // until SIGTERM/SIGINT runs the shutdown hook
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
