/**
 * 团队订单: the board by visit date at /orders and one order at /orders/:orderId (both need groups.order; the
 * actions inside check groups.manage where their routes do).
 */
import { Route, Routes } from 'react-router';
import { OrderBoard } from './board';
import { OrderDetail } from './detail';

export default function OrdersPage() {
  return (
    <Routes>
      <Route index element={<OrderBoard />} />
      <Route path=":orderId" element={<OrderDetail />} />
    </Routes>
  );
}
