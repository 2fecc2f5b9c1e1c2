/**
 * The platform administrator's pages and the dashboards (the administrator's and the auditor's),
 * with open cases to chart: two conduct reports from the public, routed to the demo market
 * regulator.
 */
import type { ConsoleArea } from './index.ts';

export const area: ConsoleArea = {
  name: 'admin',
  seed: async (t) => {
    for (const description of ['销售过期食品', '无照经营']) {
      await t.container.conductReports.file({
        subjectName: '福州某统计图表样本有限公司',
        domain: 'market_supervision',
        description,
      });
    }
    return {};
  },
  pages: () => [
    {
      name: 'dashboards (admin)',
      path: '/console/dashboards',
      ready: 'figure.echart svg',
      account: 'admin',
    },
    {
      name: 'dashboards (auditor)',
      path: '/console/dashboards',
      ready: 'figure.echart svg',
      account: 'auditor',
    },
    {
      name: 'catalog',
      path: '/console/admin/catalog',
      ready: 'a[href="/catalog/admin_penalty"]',
      account: 'admin',
    },
    {
      name: 'list types',
      path: '/console/admin/list-types',
      ready: '#lt-list + .table-wrap .el-table__row',
      account: 'admin',
    },
    {
      name: 'measures and memoranda',
      path: '/console/admin/measures',
      ready: '#measure-list ~ .table-wrap .el-table__row',
      account: 'admin',
    },
    {
      name: 'departments',
      path: '/console/admin/departments',
      ready: '#dept-list + .table-wrap .el-table__row',
      account: 'admin',
    },
    {
      name: 'users',
      path: '/console/admin/users',
      ready: '#users-list + .table-wrap .el-table__row',
      account: 'admin',
    },
    {
      name: 'tokens',
      path: '/console/admin/tokens',
      ready: '#tokens-new',
      account: 'admin',
    },
  ],
};
