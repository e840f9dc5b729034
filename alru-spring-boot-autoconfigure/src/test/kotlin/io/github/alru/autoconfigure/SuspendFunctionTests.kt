package io.github.alru.autoconfigure

import io.github.alru.AlruCacheRegistry
import io.github.alru.AlruCacheable
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import org.springframework.test.util.AopTestUtils
import java.util.concurrent.atomic.AtomicInteger

/**
 * Semantics item 16 for Kotlin: `suspend` functions share one execution per key (the continuation is
 * not part of the key), a hit resumes the caller without a thread hop, one caller's cancellation
 * leaves the others the value, a cached suspend function may call another, and a `Flow` is
 * collected once and replayed.
 */
class SuspendFunctionTests {

    open class PepService {
        val runs = AtomicInteger()
        val released = CompletableDeferred<Unit>()

        @AlruCacheable(name = "title")
        open suspend fun title(number: Int): String {
            runs.incrementAndGet()
            delay(50)
            return "PEP $number"
        }

        @AlruCacheable(name = "slowTitle")
        open suspend fun slowTitle(number: Int): String {
            runs.incrementAndGet()
            released.await()
            return "slow PEP $number"
        }

        @AlruCacheable(name = "failing")
        open suspend fun failing(number: Int): String {
            runs.incrementAndGet()
            delay(10)
            throw IllegalStateException("PEP $number is missing")
        }

        @AlruCacheable(name = "summary")
        open suspend fun summary(number: Int, titles: PepService): String = "summary of " + titles.title(number)

        @AlruCacheable(name = "authors")
        open fun authors(number: Int): Flow<String> = flow {
            runs.incrementAndGet()
            emit("Guido")
            emit("Barry")
        }
    }

    private val runner = ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AlruAutoConfiguration::class.java))
        .withBean("peps", PepService::class.java)

    private fun runs(proxy: PepService): Int = AopTestUtils.getUltimateTargetObject<PepService>(proxy).runs.get()

    @Test
    fun concurrentCallsShareOneExecutionAndTheContinuationIsNoPartOfTheKey() {
        runner.run { context ->
            val peps = context.getBean(PepService::class.java)
            val titles = runBlocking {
                coroutineScope { (1..50).map { async { peps.title(8) } }.awaitAll() }
            }
            assertThat(titles).containsOnly("PEP 8")
            assertThat(runs(peps)).isEqualTo(1)
            val cache = context.getBean(AlruCacheRegistry::class.java).get("title")
            assertThat(cache.contains(8)).isTrue()
            assertThat(cache.info().misses()).isEqualTo(1)
            assertThat(cache.info().hits()).isEqualTo(49)
        }
    }

    /** The thread the call starts on and the thread it resumes on, with a dispatcher that never hops by itself. */
    private fun threadsOf(call: suspend () -> Unit): Pair<Thread, Thread> = runBlocking {
        withContext(Dispatchers.Unconfined) {
            val before = Thread.currentThread()
            call()
            before to Thread.currentThread()
        }
    }

    @Test
    fun aHitResumesTheCallerOnItsOwnThread() {
        runner.run { context ->
            val peps = context.getBean(PepService::class.java)
            val (missStarted, missResumed) = threadsOf { peps.title(20) }
            assertThat(missResumed).describedAs("a miss resumes where its load completed: this test sees hops").isNotSameAs(missStarted)

            val (hitStarted, hitResumed) = threadsOf { peps.title(20) }

            assertThat(hitResumed).describedAs("a hit resumes at once, on the caller's thread").isSameAs(hitStarted)
            assertThat(runs(peps)).isEqualTo(1)
        }
    }

    @Test
    fun cancellingOneCallersCoroutineLeavesTheOthersTheValue() {
        runner.run { context ->
            val peps = context.getBean(PepService::class.java)
            val value = runBlocking {
                val other = async { peps.slowTitle(3) }
                val cancelled = async { peps.slowTitle(3) }
                delay(50)
                cancelled.cancel()
                AopTestUtils.getUltimateTargetObject<PepService>(peps).released.complete(Unit)
                withTimeout(5_000) { other.await() }
            }
            assertThat(value).isEqualTo("slow PEP 3")
            assertThat(runs(peps)).isEqualTo(1)
        }
    }

    @Test
    fun aFailureIsNotCachedAndReachesTheCallerAsThrown() {
        runner.run { context ->
            val peps = context.getBean(PepService::class.java)
            assertThatThrownBy { runBlocking { peps.failing(1) } }.hasMessage("PEP 1 is missing")
            assertThatThrownBy { runBlocking { peps.failing(1) } }.hasMessage("PEP 1 is missing")
            assertThat(runs(peps)).isEqualTo(2)
        }
    }

    @Test
    fun aCachedSuspendFunctionMayCallAnother() {
        runner.run { context ->
            val peps = context.getBean(PepService::class.java)
            val summary = runBlocking { peps.summary(5, peps) }
            assertThat(summary).isEqualTo("summary of PEP 5")
            assertThat(runBlocking { peps.title(5) }).isEqualTo("PEP 5")
            assertThat(runs(peps)).isEqualTo(1)
        }
    }

    @Test
    fun aFlowIsCollectedOnceAndReplayed() {
        runner.run { context ->
            val peps = context.getBean(PepService::class.java)
            assertThat(runBlocking { peps.authors(8).toList() }).containsExactly("Guido", "Barry")
            assertThat(runBlocking { peps.authors(8).toList() }).containsExactly("Guido", "Barry")
            assertThat(runs(peps)).isEqualTo(1)
        }
    }
}
