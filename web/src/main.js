// Entry: the Element Plus components the console uses (registered one by one so the bundle
// carries only those), the router and vue-i18n. A child component (ElRadioGroup, ElOption,
// ElTableColumn...) has a no-op install: its parent's plugin (ElRadio, ElSelect, ElTable...)
// registers it, so the parent must be in this list (the browser test fails on any <el-*>
// element left unrendered).
import { createApp } from 'vue';
import {
  ElAlert, ElAside, ElButton, ElCard, ElCheckbox, ElConfigProvider, ElContainer, ElDatePicker,
  ElDialog, ElDrawer, ElDropdown, ElDropdownItem, ElDropdownMenu, ElEmpty, ElForm, ElFormItem,
  ElHeader, ElIcon, ElInput, ElInputNumber, ElLink, ElLoading, ElMain, ElMenu, ElMenuItem,
  ElOption, ElRadio, ElSelect, ElStep, ElSteps, ElTabPane, ElTable,
  ElTableColumn, ElTabs, ElTag, ElTimeline, ElTimelineItem,
} from 'element-plus';
import {
  AlarmClock, ArrowDown, ArrowLeft, Bell, DataAnalysis, Document, Folder, Menu, OfficeBuilding,
  Refresh, Search, Setting, User, Wallet,
} from '@element-plus/icons-vue';
import 'element-plus/dist/index.css';
import './style.css';
import App from './App.vue';
import { router } from './router.js';
import { i18n } from './i18n.js';
import { setUnauthorizedHandler } from './api.js';

const app = createApp(App);
for (const c of [ElAlert, ElAside, ElButton, ElCard, ElCheckbox, ElConfigProvider, ElContainer,
  ElDatePicker, ElDialog, ElDrawer, ElDropdown, ElDropdownItem, ElDropdownMenu, ElEmpty, ElForm,
  ElFormItem, ElHeader, ElIcon, ElInput, ElInputNumber, ElLink, ElMain, ElMenu, ElMenuItem,
  ElOption, ElRadio, ElSelect, ElStep, ElSteps, ElTabPane, ElTable,
  ElTableColumn, ElTabs, ElTag, ElTimeline, ElTimelineItem]) {
  app.use(c);
}
app.use(ElLoading);
// Navigation icons are named in router.js (kScreens), so they are registered globally.
for (const [name, icon] of Object.entries({ AlarmClock, ArrowDown, ArrowLeft, Bell, DataAnalysis,
  Document, Folder, Menu, OfficeBuilding, Refresh, Search, Setting, User, Wallet })) {
  app.component(name, icon);
}
app.use(i18n);
app.use(router);
setUnauthorizedHandler(() => {
  if (router.currentRoute.value.name !== 'login') router.push('/login');
});
app.mount('#app');
