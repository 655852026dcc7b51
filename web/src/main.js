// Entry: Element Plus (with its zh-CN locale), the router and vue-i18n.
import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import * as Icons from '@element-plus/icons-vue';
import 'element-plus/dist/index.css';
import './style.css';
import App from './App.vue';
import { router } from './router.js';
import { i18n } from './i18n.js';
import { setUnauthorizedHandler } from './api.js';

const app = createApp(App);
for (const [name, comp] of Object.entries(Icons)) app.component(name, comp);
app.use(ElementPlus);
app.use(i18n);
app.use(router);
setUnauthorizedHandler(() => {
  if (router.currentRoute.value.name !== 'login') router.push('/login');
});
app.mount('#app');
