import type { Random } from "./random.js";

/** What complainants say, by category id (shared ids across presets); `other` is the fallback. */
const DESCRIPTIONS: Readonly<Record<string, readonly string[]>> = {
  payment: ["货款已转账但系统显示未到账", "银行扣款两次，要求退还多扣款项"],
  accounts: ["月度对账单与实际订货金额不符", "账户余额显示有误"],
  "cigarette-quality": ["整条卷烟受潮发霉", "烟支空头、爆口", "卷烟有异味，顾客退货"],
  "cigarette-quantity": ["到货少一条", "件烟内条数不足"],
  ordering: ["订货系统无法提交订单", "紧俏品规总是订不到"],
  delivery: ["送货延迟两天未到", "送货员未按约定时间送达", "配送途中外包装破损"],
  licensing: ["许可证延续办理进度缓慢", "变更经营地址手续不清楚"],
  enforcement: ["检查人员态度生硬", "对处罚决定有异议"],
  "leaf-procurement": ["烟叶收购定级偏低", "收购点排队时间过长"],
  "service-attitude": ["客户经理电话不接、态度冷淡", "窗口人员服务态度差"],
  policy: ["咨询新的零售户分级政策", "询问假烟举报奖励办法"],
  "food-safety": ["购买的熟食有异味，疑似变质", "牛奶已过保质期仍在售卖"],
  "product-quality": ["新买的电饭煲不能加热", "衣服洗一次就掉色"],
  quality: ["产品外观划伤、尺寸超差", "批次产品性能不达标"],
  quantity: ["实收数量少于送货单", "缺件少配件"],
  packaging: ["包装破损导致产品受潮", "标签错误"],
  price: ["结账价格与标价不符", "促销价未生效"],
  "return-exchange": ["七天内退货被拒绝", "换货流程太慢"],
  "store-environment": ["店内地面湿滑无提示", "停车场照明不足"],
  "spec-mismatch": ["到货型号与合同规格不符"],
  "transport-damage": ["运输途中货物压损"],
  "power-supply": ["电源模块批量失效"],
  improvement: ["建议改进包装设计便于搬运"],
  contract: ["合同交期条款理解有分歧"],
  "sales-process": ["报价流程过长"],
  service: ["售后服务响应慢", "维修人员未按时上门"],
  "renovation-noise": ["楼上装修噪音影响休息", "周末上午仍在电钻施工"],
  "public-facilities": ["小区路灯不亮", "健身器材损坏无人维修"],
  "indoor-repair": ["卫生间漏水到楼下", "入户门锁损坏"],
  lifts: ["电梯经常停运", "电梯困人二十分钟"],
  "power-water": ["小区突然停水无通知", "楼道停电"],
  mail: ["快递被放错柜", "信件丢失"],
  "cleaning-greening": ["垃圾清运不及时", "绿化带长期无人修剪"],
  "pest-control": ["地下室老鼠多", "楼道蟑螂多"],
  security: ["陌生人随意进出小区", "车辆被刮无人处理"],
  fees: ["物业费收费标准不清", "停车费多收"],
  other: ["其他问题，请尽快处理", "希望得到答复"],
};

/** What an inquiry asks and a suggestion proposes. */
const INQUIRIES = ["咨询办理流程和所需材料", "询问政策规定", "咨询营业时间和联系方式", "询问订单状态"];
const SUGGESTIONS = ["建议增加线上办理渠道", "建议延长服务时间", "建议改进通知方式", "建议定期公示处理结果"];

/** A description for a case of `kind` in `category`. */
export function description(r: Random, kind: string, category: string): string {
  if (kind === "inquiry") return r.pick(INQUIRIES);
  if (kind === "suggestion") return r.pick(SUGGESTIONS);
  return r.pick(DESCRIPTIONS[category] ?? DESCRIPTIONS.other!);
}

const SURNAMES = [
  "王",
  "李",
  "张",
  "刘",
  "陈",
  "杨",
  "赵",
  "黄",
  "周",
  "吴",
  "徐",
  "孙",
  "胡",
  "朱",
  "高",
  "林",
];
const GIVEN = [
  "伟",
  "芳",
  "娜",
  "敏",
  "静",
  "强",
  "磊",
  "军",
  "洋",
  "勇",
  "艳",
  "杰",
  "娟",
  "涛",
  "明",
  "超",
];

/** A fictitious complainant: a name and a phone number from a reserved-looking range. */
export function person(r: Random): { name: string; phone: string } {
  const name = `${r.pick(SURNAMES)}${r.pick(GIVEN)}${r.chance(0.5) ? r.pick(GIVEN) : ""}`;
  const phone = `1${r.pick(["38", "39", "58", "86"])}-0000-${String(r.int(0, 9999)).padStart(4, "0")}`;
  return { name, phone };
}

/** Why a complainant rejects a first remedy. */
export const REJECTION_REASONS = ["补偿太少", "只道歉不够，要求换货", "问题没有真正解决", "不认可调查结论"];

/** Root causes for valid complaints. */
export const ROOT_CAUSES = [
  "仓储湿度超标",
  "操作人员未按规程执行",
  "供应商来料不良",
  "系统配置错误",
  "交接流程缺失",
  "培训不到位",
];
