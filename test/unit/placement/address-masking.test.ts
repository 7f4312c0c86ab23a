// Addresses on screens keep province, city and district and hide the street behind a fixed mask.
import { describe, it, expect } from 'vitest';
import { maskAddress } from '../../../shared/domain/placement/masking.js';

describe('maskAddress', () => {
  it.each([
    ['北京市朝阳区建国路88号1201室', '北京市朝阳区****'],
    ['广东省深圳市南山区科技园南区高新南一道', '广东省深圳市南山区****'],
    ['上海市浦东新区张江路1号', '上海市浦东新区****'],
    ['新疆维吾尔自治区乌鲁木齐市天山区解放路', '新疆维吾尔自治区乌鲁木齐市天山区****'],
    ['湖北省恩施土家族苗族自治州恩施市舞阳大街', '湖北省恩施土家族苗族自治州恩施市****'],
    ['湖南省永州市道县濂溪路', '湖南省永州市道县****'],
    ['江苏省苏州市昆山市玉山镇', '江苏省苏州市昆山市****'],
    ['黑龙江省大兴安岭地区漠河市北极村', '黑龙江省大兴安岭地区漠河市****'],
    ['成都市武侯区123号', '成都市武侯区****'],
    [' 北京市 朝阳区 建国路 88号 ', '北京市朝阳区****'],
  ])('%s → %s', (address, masked) => expect(maskAddress(address)).toBe(masked));

  it('never keeps a street, a number or a market as if it were a division', () => {
    expect(maskAddress('深圳市南山路12号')).toBe('深圳市****');
    expect(maskAddress('北京市建国路88号院3区')).toBe('北京市****');
    expect(maskAddress('北京市朝阳区农贸市场5号')).toBe('北京市朝阳区****');
  });

  it('hides what it cannot read whole, and the mask does not give away the length', () => {
    expect(maskAddress('Room 1201, 88 Jianguo Rd, Beijing')).toBe('****');
    expect(maskAddress('建国路88号')).toBe('****');
    expect(maskAddress('北京市朝阳区建国路88号')).toBe(maskAddress('北京市朝阳区建国路88号院甲2号楼3单元1201室'));
  });

  it('an address that is only divisions has nothing to hide; empty stays empty', () => {
    expect(maskAddress('北京市朝阳区')).toBe('北京市朝阳区');
    expect(maskAddress('')).toBe('');
    expect(maskAddress(null)).toBe('');
  });
});
