package io.ember.shuffle.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The executor's bound on bytes in flight: requests that fit go, an idle reader always may. */
final class FetchBudgetTest {

    @Test
    void requestsGoWhileTheyFitAndAnIdleReaderMayAlwaysSendOne() {
        FetchBudget budget = new FetchBudget(100);

        assertTrue(budget.tryTake(60, false));
        assertFalse(budget.tryTake(50, false), "60 + 50 is over 100");
        assertTrue(budget.tryTake(40, false));
        assertTrue(budget.tryTake(30, true), "a reader with nothing in flight is never held back");
        assertEquals(130, budget.inFlight());

        budget.giveBack(60);
        budget.giveBack(40);
        assertTrue(budget.tryTake(70, false), "30 + 70 fits again");
        assertEquals(130, budget.peak());
    }

    @Test
    void givingBackMoreThanIsInFlightIsABug() {
        FetchBudget budget = new FetchBudget(100);
        budget.tryTake(10, false);
        assertThrows(IllegalArgumentException.class, () -> budget.giveBack(11));
        assertThrows(IllegalArgumentException.class, () -> new FetchBudget(0));
    }
}
