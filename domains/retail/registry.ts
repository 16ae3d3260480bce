/** The retail tool registries: v1 (τ-bench reference) and τ² variants, in each reference's order. */
import type { ToolVariant } from '../../src/env/domain.js';
import { ToolRegistry } from '../../src/env/registry.js';
import type { ToolDef } from '../../src/env/tool.js';
import { calculateTool, unknownToolObservation, thinkTool, transferToHumanAgentsTool } from '../common/generic-tools.js';
import { cancelPendingOrder, cancelPendingOrderTau2 } from './tools/cancel-pending-order.js';
import { exchangeDeliveredOrderItems, exchangeDeliveredOrderItemsTau2 } from './tools/exchange-delivered-order-items.js';
import { findUserIdByEmail, findUserIdByEmailTau2, findUserIdByNameZip, findUserIdByNameZipTau2 } from './tools/find-user.js';
import {
  getItemDetailsTau2,
  getOrderDetails,
  getOrderDetailsTau2,
  getProductDetails,
  getProductDetailsTau2,
  getUserDetails,
  getUserDetailsTau2,
} from './tools/get-details.js';
import { listAllProductTypes, listAllProductTypesTau2 } from './tools/list-all-product-types.js';
import { modifyPendingOrderAddress, modifyPendingOrderAddressTau2, modifyUserAddress, modifyUserAddressTau2 } from './tools/modify-address.js';
import { modifyPendingOrderItems, modifyPendingOrderItemsTau2 } from './tools/modify-pending-order-items.js';
import { modifyPendingOrderPayment, modifyPendingOrderPaymentTau2 } from './tools/modify-pending-order-payment.js';
import { returnDeliveredOrderItems, returnDeliveredOrderItemsTau2 } from './tools/return-delivered-order-items.js';

const tool = (t: unknown): ToolDef => t as ToolDef;

function build(variant: ToolVariant): ToolRegistry {
  if (variant === 'v1') {
    return new ToolRegistry([
      tool(calculateTool('v1')),
      tool(cancelPendingOrder),
      tool(exchangeDeliveredOrderItems),
      tool(findUserIdByEmail),
      tool(findUserIdByNameZip),
      tool(getOrderDetails),
      tool(getProductDetails),
      tool(getUserDetails),
      tool(listAllProductTypes),
      tool(modifyPendingOrderAddress),
      tool(modifyPendingOrderItems),
      tool(modifyPendingOrderPayment),
      tool(modifyUserAddress),
      tool(returnDeliveredOrderItems),
      tool(thinkTool()),
      tool(transferToHumanAgentsTool('v1')),
    ]);
  }
  return new ToolRegistry([
    tool(calculateTool('tau2')),
    tool(cancelPendingOrderTau2),
    tool(exchangeDeliveredOrderItemsTau2),
    tool(findUserIdByNameZipTau2),
    tool(findUserIdByEmailTau2),
    tool(getOrderDetailsTau2),
    tool(getProductDetailsTau2),
    tool(getItemDetailsTau2),
    tool(getUserDetailsTau2),
    tool(listAllProductTypesTau2),
    tool(modifyPendingOrderAddressTau2),
    tool(modifyPendingOrderItemsTau2),
    tool(modifyPendingOrderPaymentTau2),
    tool(modifyUserAddressTau2),
    tool(returnDeliveredOrderItemsTau2),
    tool(transferToHumanAgentsTool('tau2')),
  ], { unknownTool: unknownToolObservation('tau2') });
}

const cache = new Map<ToolVariant, ToolRegistry>();

/**
 * The retail tools of a variant, in the reference's schema order. v1: τ-bench's 16 tools
 * (`transfer_to_human_agents` ends the episode). τ²: `think` dropped, `get_item_details` added,
 * τ²'s changed semantics and error texts (its database must be in τ² model form, as
 * `loadRetailDb` gives for the τ² variant); transfer does not end the episode. Built once per variant.
 */
export function retailRegistry(variant: ToolVariant = 'v1'): ToolRegistry {
  let r = cache.get(variant);
  if (r === undefined) {
    r = build(variant);
    cache.set(variant, r);
  }
  return r;
}
