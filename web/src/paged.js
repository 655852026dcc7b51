// A server list with filters and the opaque `next` cursor (passed back as `after`).
import { reactive, ref } from 'vue';
import { api, rowsOf } from './api.js';

export function usePaged(path, initialFilters = {}, { limit = 100, cursorParam = 'after' } = {}) {
  const filters = reactive({ ...initialFilters });
  const rows = ref([]);
  const next = ref(null);
  const loading = ref(false);
  const error = ref('');

  async function fetchPage(after) {
    const page = await api.get(path, { ...filters, limit, [cursorParam]: after });
    next.value = (page && page.next) || null;
    return rowsOf(page);
  }
  async function load() {
    loading.value = true;
    error.value = '';
    try {
      rows.value = await fetchPage();
    } catch (e) {
      error.value = e.message;
      rows.value = [];
    } finally {
      loading.value = false;
    }
  }
  async function loadMore() {
    try {
      rows.value = rows.value.concat(await fetchPage(next.value));
    } catch (e) {
      error.value = e.message;
    }
  }
  return { filters, rows, next, loading, error, load, loadMore };
}
