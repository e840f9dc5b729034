package io.github.alru.benchmarks

import io.github.alru.AlruCacheable
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.future.await
import kotlinx.coroutines.runBlocking
import java.util.concurrent.CompletableFuture

/** One cached Kotlin service, with the same lookup as a suspend function and as a future. */
open class SuspendPeps {

    @AlruCacheable(name = "suspendTitle")
    open suspend fun title(number: Int): String = "PEP $number"

    @AlruCacheable(name = "futureTitle")
    open fun futureTitle(number: Int): CompletableFuture<String> = CompletableFuture.completedFuture("PEP $number")
}

/** Loops of hits inside one coroutine, so that the coroutine's own start is spread over many calls. */
object SuspendLoops {

    @JvmStatic
    fun suspendHits(peps: SuspendPeps, calls: Int): Int = runBlocking(Dispatchers.Unconfined) {
        var length = 0
        repeat(calls) { length += peps.title(8).length }
        length
    }

    @JvmStatic
    fun futureHits(peps: SuspendPeps, calls: Int): Int = runBlocking(Dispatchers.Unconfined) {
        var length = 0
        repeat(calls) { length += peps.futureTitle(8).await().length }
        length
    }
}
