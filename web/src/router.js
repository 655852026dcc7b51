// Routes of the console. Each screen names the permission it needs; the navigation shows only
// what /api/auth/me allows, and a direct link to a screen the role lacks goes to the board.
import { createRouter, createWebHistory } from 'vue-router';
import { session, can } from './api.js';

// Screens in navigation order: [path, name, nav label key, permission, icon].
export const kScreens = [
  ['/warnings', 'warnings', 'nav.warnings', 'warning.read', 'Bell'],
  ['/escalations', 'escalations', 'nav.escalations', 'supervise', 'AlarmClock'],
  ['/dashboard', 'dashboard', 'nav.dashboard', 'kpi.read', 'DataAnalysis'],
  ['/intel', 'intel', 'nav.intel', 'intel.read', 'Search'],
  ['/people', 'people', 'nav.people', 'people.read', 'User'],
  ['/stop-payments', 'stopPayments', 'nav.stopPayments', 'stop_payment', 'Wallet'],
  ['/cases', 'cases', 'nav.cases', 'case.read', 'Folder'],
  ['/rules', 'rules', 'nav.rules', 'rules.read', 'Setting'],
  ['/users', 'users', 'nav.users', 'users.read', 'OfficeBuilding'],
  ['/audit', 'audit', 'nav.audit', 'audit.read', 'Document'],
];

const kViews = {
  warnings: () => import('./views/WarningBoard.vue'),
  escalations: () => import('./views/Escalations.vue'),
  dashboard: () => import('./views/Dashboard.vue'),
  intel: () => import('./views/Intel.vue'),
  people: () => import('./views/People.vue'),
  stopPayments: () => import('./views/StopPayments.vue'),
  cases: () => import('./views/Cases.vue'),
  rules: () => import('./views/Rules.vue'),
  users: () => import('./views/Users.vue'),
  audit: () => import('./views/Audit.vue'),
};

export function firstAllowedPath() {
  const s = kScreens.find(([, , , perm]) => can(perm));
  return s ? s[0] : '/login';
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/Login.vue'),
      meta: { public: true } },
    {
      path: '/',
      component: () => import('./views/Shell.vue'),
      children: [
        { path: '', redirect: () => firstAllowedPath() },
        ...kScreens.map(([path, name, , perm]) => ({ path: path.slice(1), name,
          component: kViews[name], meta: { perm } })),
        { path: 'warnings/:id', name: 'warning', component: () => import('./views/WarningDetail.vue'),
          meta: { perm: 'warning.read' } },
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach((to) => {
  if (to.meta.public) return true;
  if (!session.token) return { path: '/login', query: { next: to.fullPath } };
  if (to.meta.perm && !can(to.meta.perm)) {
    const first = firstAllowedPath();
    return first === to.path ? true : first;
  }
  return true;
});
