package io.github.alru;

import java.util.Arrays;

/**
 * The finished entries of an {@link LruAlruCache}, least recently used first: a binary min-heap
 * ordered by the use stamp each entry had when it was last placed ({@code queuedUse}). Hits stamp
 * entries without the lock, so an entry may have been used since; the evictor then places it again
 * by its newer stamp before looking at the eldest again, which keeps eviction exactly LRU.
 * Guarded by the cache's lock.
 */
final class UseOrder<V> {

    private LruAlruCache.Entry<V>[] heap = newArray(16);
    private int size;

    @SuppressWarnings("unchecked")
    private static <V> LruAlruCache.Entry<V>[] newArray(int length) {
        return (LruAlruCache.Entry<V>[]) new LruAlruCache.Entry<?>[length];
    }

    LruAlruCache.Entry<V> eldest() {
        return size == 0 ? null : heap[0];
    }

    void add(LruAlruCache.Entry<V> entry) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        entry.heapIndex = size;
        heap[size++] = entry;
        siftUp(entry.heapIndex);
    }

    void remove(LruAlruCache.Entry<V> entry) {
        int index = entry.heapIndex;
        LruAlruCache.Entry<V> last = heap[--size];
        heap[size] = null;
        entry.heapIndex = -1;
        if (index != size) {
            heap[index] = last;
            last.heapIndex = index;
            siftDown(index);
            siftUp(last.heapIndex);
        }
    }

    /** Re-places an entry whose {@code queuedUse} grew. */
    void moved(LruAlruCache.Entry<V> entry) {
        siftDown(entry.heapIndex);
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].heapIndex = -1;
            heap[i] = null;
        }
        size = 0;
    }

    private void siftUp(int index) {
        LruAlruCache.Entry<V> entry = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (heap[parent].queuedUse <= entry.queuedUse) {
                break;
            }
            place(heap[parent], index);
            index = parent;
        }
        place(entry, index);
    }

    private void siftDown(int index) {
        LruAlruCache.Entry<V> entry = heap[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && heap[right].queuedUse < heap[child].queuedUse) {
                child = right;
            }
            if (entry.queuedUse <= heap[child].queuedUse) {
                break;
            }
            place(heap[child], index);
            index = child;
        }
        place(entry, index);
    }

    private void place(LruAlruCache.Entry<V> entry, int index) {
        heap[index] = entry;
        entry.heapIndex = index;
    }
}
