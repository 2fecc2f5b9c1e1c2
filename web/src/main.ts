import { createApp } from 'vue';
import App from './App.vue';
import { guardSessions } from './api/session';
import { i18n } from './i18n';
import { router } from './router';
import './styles.css';

guardSessions(router);
createApp(App).use(i18n).use(router).mount('#app');
