package io.v2tim.imsdk.sample;

import static org.junit.Assert.assertTrue;

import io.v2tim.imsdk.v2.V2TIMLogListener;
import io.v2tim.imsdk.v2.V2TIMManager;
import io.v2tim.imsdk.v2.V2TIMSDKConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** V2TIMSDKConfig.setLogListener: the SDK's line for a connection reaches it at INFO. */
public class LogListenerTest {
    static final class Lines extends V2TIMLogListener {
        final List<String> info = new ArrayList<String>();

        @Override
        public synchronized void onLog(int logLevel, String logContent) {
            if (logLevel == V2TIMSDKConfig.V2TIM_LOG_INFO) {
                info.add(logContent);
                notifyAll();
            }
        }

        synchronized boolean waitFor(String part) throws InterruptedException {
            long deadline = System.currentTimeMillis() + TestEnv.WAIT_SECONDS * 1000;
            while (true) {
                for (String l : info) {
                    if (l.contains(part)) {
                        return true;
                    }
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                wait(left);
            }
        }
    }

    @Test
    public void theSdksLogReachesTheListener() throws Exception {
        Lines lines = new Lines();
        V2TIMSDKConfig config = TestEnv.config();
        config.setLogListener(lines);
        config.setLogLevel(V2TIMSDKConfig.V2TIM_LOG_INFO);
        V2TIMManager m = V2TIMManager.createInstance();
        assertTrue(m.initSDK(TestEnv.app(), config));
        TestEnv.login(m, "kim");
        assertTrue("no 'connected to ... as kim' line: " + lines.info,
                lines.waitFor("as kim"));
        m.destroy();
    }
}
