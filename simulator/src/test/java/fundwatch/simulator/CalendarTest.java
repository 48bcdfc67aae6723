package fundwatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.TxType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CalendarTest {
    private static long beijingNoon(String date) {
        return LocalDate.parse(date).atTime(12, 0).toInstant(ZoneOffset.ofHours(8)).toEpochMilli();
    }

    @Test
    void shouldSlowLendersDownAtWeekendsAndInTheLongHolidays() {
        assertEquals(1.0, Calendar.factor(beijingNoon("2025-09-30")));              // a Tuesday
        assertEquals(Calendar.WEEKEND, Calendar.factor(beijingNoon("2025-09-28")));  // a Sunday
        assertEquals(Calendar.HOLIDAY, Calendar.factor(beijingNoon("2025-10-03")));  // National Day week
        assertEquals(Calendar.HOLIDAY, Calendar.factor(beijingNoon("2026-02-17")));  // Spring Festival
        assertEquals(1.0, Calendar.factor(beijingNoon("2026-05-06")));
    }

    @Test
    void shouldShowTheNationalDayWeekInTheMarketsDeposits() {
        // Given an honest market over the fortnight around National Day 2025
        MarketConfig config = MarketConfig.builder().noSchemes().start(Instant.parse("2025-09-21T16:00:00Z"))
                .simulatedDays(21).build();
        List<CustodyTransaction> deposits = MarketFixtures.custody(MarketFixtures.all(new MarketSimulator(config).events()))
                .stream().filter(tx -> tx.getType() == TxType.DEPOSIT).toList();

        // When the holiday week is compared with the weekdays of the week after it
        long holiday = deposits.stream().filter(tx -> Calendar.isHoliday(day(tx))).count();
        long weekdaysAfter = deposits.stream().filter(tx -> {
            LocalDate d = day(tx);
            return d.isAfter(LocalDate.parse("2025-10-07")) && d.isBefore(LocalDate.parse("2025-10-11"));
        }).count();

        // Then seven holiday days bring fewer deposits per day than the weekdays after them
        assertTrue(holiday / 7.0 < 0.75 * weekdaysAfter / 3.0, holiday + " in the holiday, " + weekdaysAfter + " in 3 weekdays");
    }

    private static LocalDate day(CustodyTransaction tx) {
        return LocalDate.ofEpochDay(Diurnal.beijingDay(tx.getEventTime().toEpochMilli()));
    }
}
