package io.github.replicarouting.routing;

import org.jspecify.annotations.Nullable;

import org.springframework.transaction.interceptor.TransactionAspectSupport;

/**
 * Reads the transaction interceptor's current {@code TransactionInfo}: bound once a transactional method's body runs,
 * whether it began its transaction or joined one.
 */
abstract class TransactionInfos extends TransactionAspectSupport {

	private TransactionInfos() {
	}

	static @Nullable Object current() {
		return currentTransactionInfo();
	}

}
