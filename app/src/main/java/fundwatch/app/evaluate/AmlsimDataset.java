package fundwatch.app.evaluate;

import fundwatch.avro.ClearingPayment;
import fundwatch.avro.PartyType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The AMLSim export (see its README.md): transfers mapped onto the contract's ClearingPayment, and the labelled
 * patterns with the accounts a hub detector should find.
 */
public final class AmlsimDataset {
    public static final String DIR_NAME = "amlsim-ext1K";

    /** One labelled pattern: its type and the accounts that count as found when flagged. */
    /** A labelled pattern: its hub(s) and the event times of its first and last transfer. */
    public record Pattern(String alertId, String type, Set<String> hubs, Instant first, Instant last) {
    }

    private final List<ClearingPayment> payments;
    private final List<Pattern> patterns;

    private AmlsimDataset(List<ClearingPayment> payments, List<Pattern> patterns) {
        this.payments = payments;
        this.patterns = patterns;
    }

    public List<ClearingPayment> payments() {
        return payments;
    }

    public List<Pattern> patterns() {
        return patterns;
    }

    public static AmlsimDataset load(Path dir) {
        try {
            Map<String, String[]> accounts = new HashMap<>();
            for (Map<String, String> r : csv(dir.resolve("accounts.csv"))) {
                accounts.put(r.get("acct_id"), new String[] {r.get("type"), r.get("bank_id")});
            }
            List<ClearingPayment> payments = new ArrayList<>();
            for (Map<String, String> r : csv(dir.resolve("transactions.csv"))) {
                String[] payer = accounts.getOrDefault(r.get("orig_acct"), new String[] {"", "unknown"});
                String[] payee = accounts.getOrDefault(r.get("bene_acct"), new String[] {"", "unknown"});
                payments.add(ClearingPayment.newBuilder()
                        .setPaymentId("AMLSIM-" + r.get("tran_id"))
                        .setClearingHouse("AMLSIM")
                        .setPayerAccountId(r.get("orig_acct")).setPayerBankId(payer[1])
                        .setPayerPartyId("pty-" + r.get("orig_acct")).setPayerPartyType(partyType(payer[0]))
                        .setPayeeAccountId(r.get("bene_acct")).setPayeeBankId(payee[1])
                        .setPayeePartyId("pty-" + r.get("bene_acct")).setPayeePartyType(partyType(payee[0]))
                        .setAmountMinor(Math.round(Double.parseDouble(r.get("base_amt")) * 100))
                        .setCurrency("CNY")
                        .setEventTime(Instant.parse(r.get("tran_timestamp")))
                        .build());
            }
            // Event-time order, as a clearing network would publish them; ties by transfer id.
            payments.sort(Comparator.comparing(ClearingPayment::getEventTime)
                    .thenComparingLong(p -> Long.parseLong(p.getPaymentId().substring("AMLSIM-".length()))));
            return new AmlsimDataset(payments, patterns(csv(dir.resolve("alert_transactions.csv"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the AMLSim export in " + dir, e);
        }
    }

    /**
     * The hub of fan_in, gather_scatter and scatter_gather is the account that receives from the others (the
     * most frequent beneficiary); of fan_out, the one that pays the others; a cycle has no hub, so every member
     * counts.
     */
    static List<Pattern> patterns(List<Map<String, String>> rows) {
        Map<String, List<Map<String, String>>> byAlert = new LinkedHashMap<>();
        rows.forEach(r -> byAlert.computeIfAbsent(r.get("alert_id"), k -> new ArrayList<>()).add(r));
        List<Pattern> out = new ArrayList<>();
        byAlert.forEach((id, txs) -> {
            String type = txs.get(0).get("alert_type");
            Set<String> hubs = switch (type) {
                case "fan_out" -> Set.of(mostFrequent(txs, "orig_acct"));
                case "cycle" -> {
                    Set<String> all = new TreeSet<>();
                    txs.forEach(t -> {
                        all.add(t.get("orig_acct"));
                        all.add(t.get("bene_acct"));
                    });
                    yield all;
                }
                default -> Set.of(mostFrequent(txs, "bene_acct"));
            };
            Instant first = txs.stream().map(t -> Instant.parse(t.get("tran_timestamp"))).min(Comparator.naturalOrder())
                    .orElseThrow();
            Instant last = txs.stream().map(t -> Instant.parse(t.get("tran_timestamp"))).max(Comparator.naturalOrder())
                    .orElseThrow();
            out.add(new Pattern(id, type, hubs, first, last));
        });
        return out;
    }

    private static String mostFrequent(List<Map<String, String>> txs, String column) {
        Map<String, Integer> n = new TreeMap<>();
        txs.forEach(t -> n.merge(t.get(column), 1, Integer::sum));
        return n.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow().getKey();
    }

    private static PartyType partyType(String amlsimType) {
        return switch (amlsimType) {
            case "I" -> PartyType.INDIVIDUAL;
            case "O" -> PartyType.CORPORATE;
            default -> PartyType.UNKNOWN;
        };
    }

    /** Plain comma-separated values with a header row; the export quotes nothing. */
    private static List<Map<String, String>> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",", -1);
        List<Map<String, String>> rows = new ArrayList<>(lines.size());
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length && i < cells.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * Finds the dataset beside the repository, where CI puts it: {@code <repo>/../shared/datasets/amlsim-ext1K},
     * looking upwards from {@code start} for a directory that has it as such a sibling.
     */
    public static Path locate(Path start) {
        for (Path d = start.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            Path candidate = d.resolveSibling("shared").resolve("datasets").resolve(DIR_NAME);
            if (d.getParent() != null && Files.isRegularFile(candidate.resolve("transactions.csv"))) {
                return candidate;
            }
        }
        return null;
    }
}
