package fundwatch.topology.fundpooling;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.ClearingPayment;
import fundwatch.topology.registry.RegistryView;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The payee side of each clearing payment, keyed by payee account, for the payees that can be hubs: accounts
 * registered as custody or payment-reserve accounts gather and scatter client money by design (exempt), and their
 * inflow — most of the platforms' traffic — need not cross the repartition at all.
 */
final class PayeeLegs implements Processor<String, ClearingPayment, String, HubLeg> {
    static final Set<AccountPurpose> EXEMPT = Set.of(AccountPurpose.CUSTODY_MASTER,
            AccountPurpose.CUSTODY_SUB_ACCOUNT, AccountPurpose.PAYMENT_RESERVE);

    private ProcessorContext<String, HubLeg> context;
    private RegistryView registry;

    @Override
    public void init(ProcessorContext<String, HubLeg> context) {
        this.context = context;
        this.registry = RegistryView.from(context);
    }

    @Override
    public void process(Record<String, ClearingPayment> record) {
        ClearingPayment p = record.value();
        AccountRegistration reg = registry.account(p.getPayeeAccountId());
        if (reg == null || !EXEMPT.contains(reg.getPurpose())) {
            context.forward(record.withKey(p.getPayeeAccountId()).withValue(HubLeg.inflow(p)));
        }
    }
}
