/**
 * This project's own product catalogue: product types, their option dimensions and price ranges.
 * The generator draws variants (option combinations) and prices from these.
 */

/** One product type. */
export interface ProductType {
  name: string;
  /** Option name → possible values, in display order. */
  options: Record<string, readonly string[]>;
  /** Price range of a variant in dollars. */
  price: readonly [number, number];
}

/** The catalogue (24 types). Names are unique. */
export const PRODUCT_TYPES: readonly ProductType[] = [
  { name: 'Rain Jacket', options: { color: ['navy', 'olive', 'yellow', 'black'], size: ['S', 'M', 'L', 'XL'], hood: ['fixed', 'detachable'] }, price: [59, 149] },
  { name: 'Standing Desk', options: { width: ['120cm', '140cm', '160cm'], finish: ['oak', 'walnut', 'white'], motor: ['single', 'dual'] }, price: [289, 689] },
  { name: 'Blender', options: { capacity: ['1L', '1.5L', '2L'], color: ['silver', 'red', 'black'], power: ['600W', '1000W'] }, price: [39, 179] },
  { name: 'Toaster', options: { slots: ['2', '4'], color: ['cream', 'steel', 'black'], style: ['classic', 'long-slot'] }, price: [24, 99] },
  { name: 'Camping Tent', options: { capacity: ['1-person', '2-person', '4-person'], season: ['3-season', '4-season'], color: ['green', 'orange'] }, price: [79, 399] },
  { name: 'Sleeping Bag', options: { 'temperature rating': ['0C', '-5C', '-10C'], fill: ['down', 'synthetic'], length: ['regular', 'long'] }, price: [49, 259] },
  { name: 'Tennis Racket', options: { 'head size': ['98', '100', '105'], weight: ['280g', '300g'], grip: ['2', '3', '4'] }, price: [69, 229] },
  { name: 'Board Game', options: { theme: ['trains', 'space', 'farming', 'mystery'], edition: ['standard', 'deluxe'] }, price: [19, 89] },
  { name: 'Wool Scarf', options: { color: ['charcoal', 'burgundy', 'mustard', 'teal'], pattern: ['solid', 'plaid'] }, price: [18, 65] },
  { name: 'Mug Set', options: { material: ['ceramic', 'stoneware', 'glass'], count: ['2', '4', '6'], color: ['white', 'speckled', 'sage'] }, price: [16, 72] },
  { name: 'Chef Knife', options: { 'blade length': ['6 inch', '8 inch', '10 inch'], steel: ['stainless', 'carbon', 'damascus'] }, price: [29, 249] },
  { name: 'Electric Scooter', options: { range: ['20km', '35km', '50km'], color: ['black', 'white', 'blue'] }, price: [299, 899] },
  { name: 'Camera Drone', options: { camera: ['2.7K', '4K'], 'flight time': ['20 min', '30 min', '40 min'], color: ['grey', 'white'] }, price: [199, 1099] },
  { name: 'Computer Monitor', options: { size: ['24 inch', '27 inch', '32 inch'], resolution: ['1080p', '1440p', '4K'], panel: ['IPS', 'VA'] }, price: [129, 699] },
  { name: 'Webcam', options: { resolution: ['720p', '1080p', '4K'], microphone: ['mono', 'stereo'], color: ['black', 'white'] }, price: [25, 179] },
  { name: 'Wi-Fi Router', options: { standard: ['Wi-Fi 5', 'Wi-Fi 6', 'Wi-Fi 6E'], bands: ['dual', 'tri'], ports: ['4', '8'] }, price: [49, 349] },
  { name: 'Hair Dryer', options: { power: ['1200W', '1800W', '2200W'], color: ['rose', 'black', 'white'], ionic: ['yes', 'no'] }, price: [22, 199] },
  { name: 'Throw Blanket', options: { material: ['fleece', 'cotton', 'wool'], size: ['50x60', '60x80'], color: ['grey', 'ivory', 'rust', 'forest'] }, price: [19, 119] },
  { name: 'Plant Pot', options: { diameter: ['12cm', '20cm', '30cm'], material: ['terracotta', 'ceramic', 'concrete'], drainage: ['yes', 'no'] }, price: [9, 79] },
  { name: 'Cookware Set', options: { pieces: ['5', '8', '12'], coating: ['non-stick', 'stainless', 'cast iron'] }, price: [79, 499] },
  { name: 'Rice Cooker', options: { capacity: ['3 cup', '5 cup', '10 cup'], type: ['basic', 'fuzzy logic', 'induction'] }, price: [29, 329] },
  { name: 'Fitness Tracker', options: { color: ['black', 'lilac', 'mint', 'sand'], display: ['mono', 'color'], gps: ['yes', 'no'] }, price: [39, 249] },
  { name: 'Beanbag Chair', options: { size: ['small', 'large', 'giant'], fabric: ['corduroy', 'faux leather', 'canvas'], color: ['grey', 'mustard', 'navy'] }, price: [59, 349] },
  { name: 'Table Lamp', options: { shade: ['linen', 'glass', 'metal'], base: ['brass', 'ceramic', 'wood'], bulb: ['LED', 'halogen'] }, price: [29, 189] },
];
