package io.ember.core.coordination;

import java.util.List;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;

/** Reading why a ZooKeeper transaction failed; shared by the epoch counter, the leader record and the fence. */
final class Transactions {

    private Transactions() {
    }

    /**
     * The index of the operation that made a transaction fail, or -1 when unknown. ZooKeeper marks
     * the operations after it (and before it) with RUNTIMEINCONSISTENCY or OK.
     */
    static int failedOperation(KeeperException e) {
        List<OpResult> results = e.getResults();
        if (results == null) {
            return -1;
        }
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof OpResult.ErrorResult error) {
                int code = error.getErr();
                if (code != KeeperException.Code.OK.intValue()
                        && code != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                    return i;
                }
            }
        }
        return -1;
    }
}
