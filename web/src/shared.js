// Small state shared by screens: unit names (from /api/units) and the phone-layout switch.
import { onMounted, onUnmounted, ref } from 'vue';

// Unit names are kept for the tab's session: the unit tree rarely changes, and names that
// arrive after a list rendered make the list render twice (the board's 100 rows, for one).
const kUnitsKey = 'fz.unitNames';
function savedUnitNames() {
  try {
    return JSON.parse(sessionStorage.getItem(kUnitsKey) || '{}') || {};
  } catch (e) {
    return {};
  }
}
export const unitNames = ref(savedUnitNames());
export function setUnitNames(names) {
  unitNames.value = names;
  sessionStorage.setItem(kUnitsKey, JSON.stringify(names));
}
export function haveUnitNames() {
  return Object.keys(unitNames.value).length > 0;
}

export function unitLabel(code) {
  if (!code) return '';
  const name = unitNames.value[code];
  return name ? `${name}` : code;
}

const kMobileWidth = 768;
export function useMobile() {
  const mobile = ref(window.innerWidth <= kMobileWidth);
  const update = () => {
    mobile.value = window.innerWidth <= kMobileWidth;
  };
  onMounted(() => window.addEventListener('resize', update));
  onUnmounted(() => window.removeEventListener('resize', update));
  return mobile;
}
