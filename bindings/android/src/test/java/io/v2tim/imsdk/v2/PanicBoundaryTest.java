package io.v2tim.imsdk.v2;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.v2tim.imsdk.BaseConstants;
import io.v2tim.imsdk.sample.TestEnv;
import org.junit.Test;

/**
 * A Rust panic never unwinds into the JVM (against the debug build, which exports
 * {@code debugPanic}): it becomes onError(V2TIM_ERR_PANIC), an IllegalStateException, or a
 * logged and dropped event, and the SDK keeps working.
 */
public class PanicBoundaryTest {
    private static NativeCallback callback(final TestEnv.Outcome<Object> r) {
        return NativeCallback.value(TestEnv.alice(), r);
    }

    @Test
    public void aPanicWithACallbackBecomesOnError() {
        TestEnv.Outcome<Object> r = new TestEnv.Outcome<Object>();
        NativeBridge.debugPanic(0, callback(r));
        assertEquals(BaseConstants.V2TIM_ERR_PANIC, r.error());
    }

    @Test
    public void aPanicWithoutACallbackBecomesAnException() {
        try {
            NativeBridge.debugPanic(1, null);
            fail("expected IllegalStateException");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("deliberate test panic"));
        }
    }

    @Test
    public void aPanicOnTheEventThreadIsContained() {
        TestEnv.Outcome<Object> r = new TestEnv.Outcome<Object>();
        NativeBridge.debugPanic(2, callback(r));
        r.ok();
        assertEquals("v2tim-events", r.thread.getName());
        // And the SDK still works.
        TestEnv.sendText(TestEnv.alice(), "bob", null, "after the panics");
    }
}
