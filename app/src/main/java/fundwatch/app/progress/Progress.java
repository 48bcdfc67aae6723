package fundwatch.app.progress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How far long work has come — events done of total, rate, ETA — on stderr, never on stdout (stdout carries the
 * results: JSON, alerts, tables). On a terminal a live bar (me.tongfei:progressbar); otherwise, for CI logs and
 * files, one line every {@link #LOG_INTERVAL}, and a last one when the work ends.
 */
public final class Progress implements AutoCloseable {
    /** How progress is shown; {@code AUTO}: a bar when stderr is a terminal, else log lines. */
    public enum Mode { AUTO, BAR, LOG, NONE }

    public static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    private static final Duration BAR_INTERVAL = Duration.ofMillis(500);
    private static final Progress NONE = new Progress(null);

    private final ProgressBar bar;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private ScheduledExecutorService poller;
    private LongSupplier followed;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** Nothing shown: for tests and callers that report nothing. */
    public static Progress none() {
        return NONE;
    }

    /** @param total the number of {@code unit}s the work will do; 0 or less when not known (yet) */
    public static Progress start(String task, long total, String unit, Mode mode) {
        return start(task, total, unit, mode, System.err, LOG_INTERVAL);
    }

    static Progress start(String task, long total, String unit, Mode mode, PrintStream err, Duration logInterval) {
        Mode resolved = mode == Mode.AUTO ? (stderrIsTerminal() ? Mode.BAR : Mode.LOG) : mode;
        if (resolved == Mode.NONE) {
            return NONE;
        }
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total > 0 ? total : -1)
                .setUnit(" " + unit, 1).showSpeed(new java.text.DecimalFormat("#,##0"))
                .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS);
        if (resolved == Mode.BAR) {
            // A fixed width: asking the terminal would go through JLine, which warns when stdout is redirected.
            b.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis((int) BAR_INTERVAL.toMillis())
                    .setConsumer(new ConsoleProgressBarConsumer(err, terminalWidth() - 1));
        } else {
            // No bar characters in a log line: "task 12% 1,234/10,000 (0:01:05 / 0:07:57) 19 events/s".
            b.setStyle(ProgressBarStyle.builder().refreshPrompt("").leftBracket("").rightBracket("").block(' ')
                            .space(' ').fractionSymbols(" ").rightSideFractionSymbol(' ').build())
                    .setUpdateIntervalMillis((int) logInterval.toMillis())
                    .setConsumer(new DelegatingProgressBarConsumer(new java.util.function.Consumer<>() {
                        private String last;

                        @Override
                        public void accept(String line) {
                            String plain = line.replaceAll(" {2,}", " ").strip();
                            if (!plain.equals(last)) { // closing renders the final state once more
                                err.println(plain);
                                err.flush();
                                last = plain;
                            }
                        }
                    }, 160));
        }
        return new Progress(b.build());
    }

    public void stepTo(long done) {
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    public void stepBy(long n) {
        if (bar != null) {
            bar.stepBy(n);
        }
    }

    public void total(long total) {
        if (bar != null) {
            bar.maxHint(total);
        }
    }

    public void message(String extra) {
        if (bar != null) {
            bar.setExtraMessage(extra);
        }
    }

    /**
     * For work done elsewhere (a publisher thread): reads {@code done} a few times a second, and closes this when it
     * reaches the total. Stops with {@link #close()} in any case.
     */
    public Progress follow(LongSupplier done) {
        if (bar != null) {
            followed = done;
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fundwatch-progress");
                t.setDaemon(true);
                return t;
            });
            poller.scheduleAtFixedRate(() -> {
                long now = done.getAsLong();
                bar.stepTo(now);
                if (bar.getMax() > 0 && now >= bar.getMax()) {
                    close();
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Shows the final state (a last log line, or the full bar and a newline) and stops updating. */
    @Override
    public void close() {
        if (bar == null || !closed.compareAndSet(false, true)) {
            return;
        }
        if (poller != null) {
            poller.shutdownNow();
            bar.stepTo(followed.getAsLong()); // the last count, not the one of up to 200 ms ago
        }
        bar.close();
    }

    /**
     * Whether stderr is a terminal. The JDK only says so for stdin and stdout together ({@link System#console()}),
     * and stdout is often redirected ({@code demo --json > alerts.jsonl}) while stderr is on the screen; on Linux
     * {@code /proc/self/fd/2} names the terminal. A dumb terminal gets log lines.
     */
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/2"));
            String name = target.toString();
            return name.startsWith("/dev/pts/") || name.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    private static int terminalWidth() {
        try {
            int columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100").trim());
            return Math.max(60, Math.min(columns, 160));
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    /** How many items an iterator has left (it is used up): the total of a generated market. */
    public static long size(Iterator<?> items) {
        long n = 0;
        for (; items.hasNext(); items.next()) {
            n++;
        }
        return n;
    }
}
