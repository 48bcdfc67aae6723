package fundwatch.topology.catalog;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The names of the contract topics (CONTRACT.md, "Topics"); every one is configurable.
 * The validated registry topics are fundwatch's own: registry input is checked (bad records to the DLQ)
 * before it is loaded into the global stores that every detector reads.
 */
public record TopicNames(
        String custodyTransactions,
        String clearingPayments,
        String platforms,
        String accounts,
        String products,
        String rates,
        String rules,
        String alerts,
        String deadLetters,
        String validatedPrefix) {

    public static TopicNames defaults() {
        return new TopicNames("custody.transactions", "clearing.payments", "registry.platforms",
                "registry.accounts", "registry.products", "reference.rates", "fundwatch.rules",
                "alerts.early-warning", "fundwatch.dlq", "fundwatch.validated.");
    }

    public TopicNames {
        Set<String> seen = new HashSet<>();
        for (String name : List.of(custodyTransactions, clearingPayments, platforms, accounts, products, rates,
                rules, alerts, deadLetters)) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("every topic needs a name");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("topic '" + name + "' is configured for two roles");
            }
        }
    }

    /** Input topics the operator creates; {@code run} refuses to start while one is missing. */
    public List<String> inputs() {
        return List.of(custodyTransactions, clearingPayments, platforms, accounts, products, rates, rules);
    }

    /** Compacted registry inputs that are validated and then loaded into global stores. */
    public List<String> registryInputs() {
        return List.of(platforms, accounts, products, rates, rules);
    }

    /**
     * D8's traced-credit topic: traced money moving to its payee account's task, hop after hop. A loop (an account's
     * credits produce its payees' credits), which the DSL's repartition cannot express, so fundwatch creates it
     * itself with clearing.payments' partition count (the account tasks read both). Named after the validated prefix's
     * stem: {@code fundwatch.validated.} → {@code fundwatch.lookthrough.credits}.
     */
    public String traceCredits() {
        String stem = validatedPrefix.endsWith("validated.")
                ? validatedPrefix.substring(0, validatedPrefix.length() - "validated.".length()) : validatedPrefix;
        return stem + "lookthrough.credits";
    }

    public String validated(String registryTopic) {
        return validatedPrefix + registryTopic;
    }
}
