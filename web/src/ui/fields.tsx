import type { ReactNode } from 'react';
import {
  Button,
  Calendar,
  CalendarCell,
  CalendarGrid,
  Checkbox,
  CheckboxGroup,
  DateInput,
  DatePicker,
  DateSegment,
  Dialog,
  FieldError,
  Group,
  Heading,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
  Text,
  TextArea,
  TextField,
  type DateValue,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';

interface FieldProps {
  name: string;
  label: string;
  description?: string;
  isRequired?: boolean;
}

/** A labelled text input; its error (the browser's, the page's or the service's) shows beneath it. */
export function TextInput(
  props: FieldProps & {
    type?: 'text' | 'email' | 'password' | 'tel';
    value?: string;
    defaultValue?: string;
    onChange?: (value: string) => void;
    validate?: (value: string) => string | null;
    autoComplete?: string;
    multiline?: boolean;
    inputMode?: 'numeric' | 'decimal' | 'text';
  },
) {
  return (
    <TextField
      className="field"
      name={props.name}
      type={props.type ?? 'text'}
      value={props.value}
      defaultValue={props.defaultValue}
      onChange={props.onChange}
      isRequired={props.isRequired}
      validate={props.validate ? (v) => props.validate!(v) : undefined}
      validationBehavior="aria"
      autoComplete={props.autoComplete}
    >
      <Label>{props.label}</Label>
      {props.multiline ? <TextArea rows={3} /> : <Input inputMode={props.inputMode} />}
      {props.description ? <Text slot="description">{props.description}</Text> : null}
      <FieldError className="field-error" />
    </TextField>
  );
}

/** A date chosen by typing its parts or from a calendar, keyboard and screen-reader friendly. */
export function DateField<T extends DateValue>(
  props: FieldProps & {
    value: T | null;
    onChange: (value: T | null) => void;
    granularity?: 'day' | 'minute';
  },
) {
  const { t } = useTranslation();
  return (
    <DatePicker
      className="field"
      name={props.name}
      value={props.value}
      onChange={(value) => props.onChange(value as T | null)}
      isRequired={props.isRequired}
      granularity={props.granularity}
      hourCycle={24}
      validationBehavior="aria"
    >
      <Label>{props.label}</Label>
      <Group className="date-group">
        <DateInput className="date-input">{(segment) => <DateSegment segment={segment} />}</DateInput>
        <Button className="icon-button" aria-label={t('ui.openCalendar')}>
          ▾
        </Button>
      </Group>
      {props.description ? <Text slot="description">{props.description}</Text> : null}
      <FieldError className="field-error" />
      <Popover>
        <Dialog className="calendar-dialog" aria-label={props.label}>
          <Calendar>
            <header className="calendar-header">
              <Button slot="previous" aria-label={t('ui.previousMonth')}>
                ‹
              </Button>
              <Heading />
              <Button slot="next" aria-label={t('ui.nextMonth')}>
                ›
              </Button>
            </header>
            <CalendarGrid>{(date) => <CalendarCell date={date} />}</CalendarGrid>
          </Calendar>
        </Dialog>
      </Popover>
    </DatePicker>
  );
}

/** One choice from a short list. */
export function Choice<K extends string>(
  props: FieldProps & {
    options: { id: K; label: string }[];
    value: K | null;
    onChange: (value: K | null) => void;
    placeholder?: string;
  },
) {
  return (
    <Select
      className="field"
      name={props.name}
      selectedKey={props.value}
      onSelectionChange={(key) => props.onChange(key === null ? null : (String(key) as K))}
      isRequired={props.isRequired}
      placeholder={props.placeholder}
      validationBehavior="aria"
    >
      <Label>{props.label}</Label>
      <Button className="select-button">
        <SelectValue />
        <span aria-hidden="true">▾</span>
      </Button>
      {props.description ? <Text slot="description">{props.description}</Text> : null}
      <FieldError className="field-error" />
      <Popover>
        <ListBox className="listbox">
          {props.options.map((option) => (
            <ListBoxItem key={option.id} id={option.id} className="listbox-item">
              {option.label}
            </ListBoxItem>
          ))}
        </ListBox>
      </Popover>
    </Select>
  );
}

/** Several choices among a few. */
export function Checkboxes<K extends string>(
  props: FieldProps & { options: { id: K; label: string }[]; value: K[]; onChange: (value: K[]) => void },
) {
  return (
    <CheckboxGroup
      className="field"
      name={props.name}
      value={props.value}
      onChange={(v) => props.onChange(v as K[])}
    >
      <Label>{props.label}</Label>
      <div className="checkbox-row">
        {props.options.map((option) => (
          <Checkbox key={option.id} value={option.id} className="checkbox">
            <span className="checkbox-box" aria-hidden="true" />
            {option.label}
          </Checkbox>
        ))}
      </div>
      {props.description ? <Text slot="description">{props.description}</Text> : null}
      <FieldError className="field-error" />
    </CheckboxGroup>
  );
}

/** A group of fields under a visible heading. */
export function Fieldset({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="fieldset">
      <legend>{legend}</legend>
      {children}
    </fieldset>
  );
}
