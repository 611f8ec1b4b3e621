import { defineMessages } from '../define';

export const dashboard = defineMessages(
  {
    title: '总览',
    inPark: '在园人数',
    entries: '今日入园',
    exits: '今日出园',
    capacity: '在园容量 {{capacity}}',
    noCapacity: '未设在园容量',
    gatesOnline: '在线闸机',
    gatesOffline: '离线闸机',
    site: '景区 {{site}}',
    level: '告警 {{level}}%',
  },
  {
    title: 'Dashboard',
    inPark: 'In the park',
    entries: 'Entries today',
    exits: 'Exits today',
    capacity: 'Capacity {{capacity}}',
    noCapacity: 'No in-park capacity set',
    gatesOnline: 'Gates online',
    gatesOffline: 'Gates offline',
    site: 'Site {{site}}',
    level: 'Alert {{level}}%',
  },
);
