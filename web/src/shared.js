// Small state shared by screens: unit names (from /api/units) and the phone-layout switch.
import { onMounted, onUnmounted, ref } from 'vue';

export const unitNames = ref({});

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
