import { Text } from '@mantine/core';

export default function ConsoleApp() {
  return <Text>console</Text>;
}
