export {
  addDays,
  addMonths,
  dayNumber,
  dayNumberOf,
  fromDayNumber,
  daysInMonth,
  isCivilDate,
  todayInShanghai,
  weekday,
  yearOf,
  type CivilDate,
} from './civil-date.ts';
export { WorkingDayCalendar, type DayInfo, type WorkingDayResult, type YearTable } from './working-days.ts';
export { CalendarService, type LoadedYear } from './calendar.service.ts';
export { CivilDateSchema, MonthSchema, YearTableFileSchema, type YearTableFile } from './calendar.schema.ts';
